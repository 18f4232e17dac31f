"""Races on PostgreSQL: real row locks, one connection per thread, each closed at the end."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from apps.bookings.actors import Actor
from apps.bookings.domain import RoomRequest
from apps.bookings.errors import StaleVersion
from apps.bookings.models import Booking, Status
from apps.bookings.services.hold import booking_hold
from apps.bookings.services.lifecycle import booking_cancel, booking_confirm, bookings_expire_due
from apps.bookings.services.modify import booking_modify
from apps.bookings.services.reconcile import inventory_reconcile
from apps.bookings.tests.factories import make_guest, make_hotel
from apps.bookings.tests.helpers import ARRIVAL, counts, events, guest_of, stay
from booking_platform.errors import ApplicationError

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(*calls: Callable[[], Any]) -> list[tuple[str, Any]]:
    """Start all calls at one barrier; return ("ok", value) or ("error", exception) per call."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[str, Any]] = [("pending", None)] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 - the test inspects what happened
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def hold_one(hotel, *, nights: int = 2, room_type_id: int | None = None) -> Booking:
    return booking_hold(
        request=stay(hotel, nights=nights, rooms=hotel.rooms(room_type_id=room_type_id)), actor=hotel.guest
    )


def test_confirm_racing_the_sweeper_ends_in_exactly_one_outcome(require_postgres: None) -> None:
    hotel = make_hotel(start=ARRIVAL, nights=3, sellable=20)
    outcomes = Counter()
    for _ in range(12):
        booking = hold_one(hotel)
        # The sweeper's clock says the hold has lapsed; the guest's says it has not.
        later = timezone.now() + timedelta(minutes=16)
        confirm, sweep = run_together(
            lambda b=booking: booking_confirm(booking_id=b.pk, actor=guest_of(b)),
            lambda later=later: bookings_expire_due(now=later),
        )
        booking.refresh_from_db()
        trail = events(booking.reference)
        if confirm[0] == "ok":
            assert sweep == ("ok", 0)
            assert booking.status == Status.CONFIRMED
            assert trail == ["booking.held", "booking.confirmed"]
        else:
            assert confirm[1].code == "hold_expired"  # one code for "your hold is gone", whoever came first
            assert sweep == ("ok", 1)
            assert booking.status == Status.EXPIRED
            assert trail == ["booking.held", "booking.expired"]
        outcomes[booking.status] += 1
    sold = outcomes[Status.CONFIRMED]
    assert counts(hotel.room_type_id, ARRIVAL, 3) == (
        {ARRIVAL: (sold, 0), ARRIVAL + timedelta(days=1): (sold, 0)} if sold else {}
    )
    assert inventory_reconcile() == []


def test_two_modifications_racing_apply_one_and_refuse_the_other(require_postgres: None) -> None:
    hotel = make_hotel(start=ARRIVAL, nights=6, sellable=3)
    booking = hold_one(hotel)
    booking = booking_confirm(booking_id=booking.pk, actor=guest_of(booking))
    later = ARRIVAL + timedelta(days=2)
    suite = [RoomRequest(room_type_id=hotel.other_room_type_id, rate_plan_id=hotel.rate_plan_id, adults=2)]
    by_dates, by_room = run_together(
        lambda: booking_modify(
            booking_id=booking.pk,
            actor=guest_of(booking),
            expected_version=2,
            check_in=later,
            check_out=later + timedelta(days=2),
        ),
        lambda: booking_modify(booking_id=booking.pk, actor=guest_of(booking), expected_version=2, rooms=suite),
    )
    assert sorted(r[0] for r in (by_dates, by_room)) == ["error", "ok"]
    refused = by_dates if by_dates[0] == "error" else by_room
    assert isinstance(refused[1], StaleVersion)
    booking.refresh_from_db()
    assert booking.version == 3
    assert events(booking.reference) == ["booking.held", "booking.confirmed", "booking.modified"]
    if by_dates[0] == "ok":
        assert (booking.check_in, booking.rooms.get().room_type_id) == (later, hotel.room_type_id)
        assert counts(hotel.room_type_id, ARRIVAL, 6) == {later: (1, 0), later + timedelta(days=1): (1, 0)}
        assert counts(hotel.other_room_type_id, ARRIVAL, 6) == {}
    else:
        assert (booking.check_in, booking.rooms.get().room_type_id) == (ARRIVAL, hotel.other_room_type_id)
        assert counts(hotel.room_type_id, ARRIVAL, 6) == {}
        assert counts(hotel.other_room_type_id, ARRIVAL, 6) == {ARRIVAL: (1, 0), ARRIVAL + timedelta(days=1): (1, 0)}
    assert inventory_reconcile() == []


def _random_step(rng: random.Random, hotel, guest_id: int, mine: list[int], tally: Counter) -> None:
    """One guest, partner or clock action on a random booking of this guest; refusals are part of the game."""
    guest = Actor.guest(guest_id)
    action = rng.choice(["hold", "hold", "confirm", "confirm", "cancel", "modify", "sweep"])
    try:
        if action == "hold":
            start = ARRIVAL + timedelta(days=rng.randrange(0, 5))
            mine.append(
                booking_hold(
                    request=stay(
                        hotel,
                        customer_id=guest_id,
                        check_in=start,
                        nights=rng.randrange(1, 4),
                        rooms=hotel.rooms(room_type_id=rng.choice([hotel.room_type_id, hotel.other_room_type_id])),
                        channel=rng.choice(["web", "partner"]),
                    ),
                    actor=guest,
                ).pk
            )
        elif action == "sweep":
            bookings_expire_due()
        elif mine:
            booking_id = rng.choice(mine)
            if action == "confirm":
                booking_confirm(booking_id=booking_id, actor=guest)
            elif action == "cancel":
                booking_cancel(booking_id=booking_id, actor=guest)
            else:
                version = Booking.objects.values_list("version", flat=True).get(pk=booking_id)
                start = ARRIVAL + timedelta(days=rng.randrange(0, 5))
                booking_modify(
                    booking_id=booking_id,
                    actor=guest,
                    expected_version=version,
                    check_in=start,
                    check_out=start + timedelta(days=rng.randrange(1, 4)),
                )
        tally[f"{action}:ok"] += 1
    except ApplicationError as exc:
        tally[f"{action}:{exc.code}"] += 1


@override_settings(BOOKING_HOLD_MINUTES=0.02)  # 1.2 s: holds really lapse during the run
def test_reconcile_finds_no_drift_after_a_random_mixed_workload(require_postgres: None) -> None:
    hotel = make_hotel(start=ARRIVAL, nights=10, sellable=3)
    guest_ids = [hotel.guest_id, make_guest(), make_guest(), make_guest()]
    tally: Counter = Counter()
    lock = threading.Lock()

    def guest(seed: int) -> None:
        rng, mine, local = random.Random(seed), [], Counter()
        for _ in range(40):
            _random_step(rng, hotel, guest_ids[seed % len(guest_ids)], mine, local)
        with lock:
            tally.update(local)

    results = run_together(*(lambda s=seed: guest(s) for seed in range(6)))
    assert [r[0] for r in results] == ["ok"] * 6, results
    assert tally["hold:ok"] > 5, tally
    assert tally["confirm:ok"] > 0, tally
    assert tally["cancel:ok"] > 0, tally
    assert tally["modify:ok"] > 0, tally
    assert inventory_reconcile() == [], tally
    bookings_expire_due()
    assert inventory_reconcile() == []
    for booking in Booking.objects.all():
        assert events(booking.reference)[0] == "booking.held"


def test_crossing_modifications_both_apply(require_postgres: None) -> None:
    """A moves onto B's nights while B moves onto A's: each locks old and new nights in one ordered pass."""
    hotel = make_hotel(start=ARRIVAL, nights=6, sellable=2)
    early, late = ARRIVAL, ARRIVAL + timedelta(days=3)
    other_guest = make_guest()
    a = booking_confirm(booking_id=hold_one(hotel).pk, actor=hotel.guest)
    b = booking_hold(
        request=stay(hotel, customer_id=other_guest, check_in=late, nights=2), actor=Actor.guest(other_guest)
    )
    b = booking_confirm(booking_id=b.pk, actor=guest_of(b))
    for round_ in range(6):
        a_to, b_to = (late, early) if round_ % 2 == 0 else (early, late)
        results = run_together(
            lambda v=a.version + round_, d=a_to: booking_modify(
                booking_id=a.pk, actor=guest_of(a), expected_version=v, check_in=d, check_out=d + timedelta(days=2)
            ),
            lambda v=b.version + round_, d=b_to: booking_modify(
                booking_id=b.pk, actor=guest_of(b), expected_version=v, check_in=d, check_out=d + timedelta(days=2)
            ),
        )
        assert [r[0] for r in results] == ["ok", "ok"], results
    assert inventory_reconcile() == []
    assert counts(hotel.room_type_id, ARRIVAL, 6) == dict.fromkeys(
        (early, early + timedelta(days=1), late, late + timedelta(days=1)), (1, 0)
    )
