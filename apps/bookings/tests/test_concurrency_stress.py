"""Every write path at once on overlapping nights, on PostgreSQL, from many threads.

Hold, book, confirm, cancel, modify (dates and rooms), check-in, check-out, the sweeper and
``reclaim_expired_holds`` run against one small hotel whose stays all overlap. Any exception that is
not a documented domain refusal fails the test, as does a single transaction the database had to
abort and re-run (the lock order is the cure; the retry is only a second line). At the end the
inventory counters agree with the bookings.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from prometheus_client import REGISTRY

from apps.availability import interface as availability
from apps.bookings.actors import Actor
from apps.bookings.domain import StayRequest
from apps.bookings.models import Booking, Status
from apps.bookings.services.hold import booking_book, booking_hold
from apps.bookings.services.lifecycle import booking_cancel, booking_confirm, bookings_expire_due
from apps.bookings.services.modify import booking_modify
from apps.bookings.services.reconcile import inventory_reconcile
from apps.bookings.services.stay import booking_check_in, booking_check_out
from apps.bookings.tests.factories import Hotel, make_guest, make_hotel
from booking_platform.errors import ApplicationError

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8
STEPS = 36
# The refusals this workload can meet, each documented in docs/contracts.md.
DOMAIN_CODES = {
    "not_available",
    "hold_expired",
    "invalid_transition",
    "stale_version",
    "too_early",
    "stay_over",
    "no_room_available",
}
ACTIONS = ["hold", "hold", "book", "confirm", "confirm", "cancel", "modify_dates", "modify_rooms"]
ACTIONS += ["check_in", "check_out", "sweep", "reclaim"]


class Guest:
    """One thread's guest: random actions on its own bookings, every outcome tallied."""

    def __init__(self, hotel: Hotel, today: date, seed: int, customer_id: int) -> None:
        self.hotel, self.today, self.rng = hotel, today, random.Random(seed)
        self.customer_id, self.actor = customer_id, Actor.guest(customer_id)
        self.mine: list[int] = []
        self.tally: Counter = Counter()

    def request(self) -> StayRequest:
        start = self.today + timedelta(days=self.rng.choice([0, 0, 1, 2, 3]))
        room_type = self.rng.choice([self.hotel.room_type_id, self.hotel.other_room_type_id])
        return StayRequest(
            property_id=self.hotel.property_id,
            customer_id=self.customer_id,
            check_in=start,
            check_out=start + timedelta(days=self.rng.randrange(1, 4)),
            rooms=self.hotel.rooms(self.rng.choice([1, 1, 2]), room_type_id=room_type),
            channel="web",
        )

    def modify(self, booking_id: int, *, rooms: bool) -> None:
        version = Booking.objects.values_list("version", flat=True).get(pk=booking_id)
        if rooms:
            room_type = self.rng.choice([self.hotel.room_type_id, self.hotel.other_room_type_id])
            booking_modify(
                booking_id=booking_id,
                actor=self.actor,
                expected_version=version,
                rooms=self.hotel.rooms(self.rng.choice([1, 2]), room_type_id=room_type),
            )
            return
        start = self.today + timedelta(days=self.rng.randrange(0, 4))
        booking_modify(
            booking_id=booking_id,
            actor=self.actor,
            expected_version=version,
            check_in=start,
            check_out=start + timedelta(days=self.rng.randrange(1, 4)),
        )

    def step(self) -> None:
        action = self.rng.choice(ACTIONS)
        try:
            self.act(action)
            self.tally[f"{action}:ok"] += 1
        except ApplicationError as exc:
            self.tally[f"{action}:{exc.code}"] += 1
            if exc.code not in DOMAIN_CODES:
                raise AssertionError(f"{action}: undocumented refusal {exc.code}: {exc}") from exc

    def act(self, action: str) -> None:
        if action in ("hold", "book"):
            service = booking_hold if action == "hold" else booking_book
            self.mine.append(service(request=self.request(), actor=self.actor).pk)
        elif action == "sweep":
            bookings_expire_due()
        elif action == "reclaim":
            availability.reclaim_expired_holds()
        elif self.mine:
            booking_id = self.rng.choice(self.mine)
            if action == "confirm":
                booking_confirm(booking_id=booking_id, actor=self.actor)
            elif action == "cancel":
                booking_cancel(booking_id=booking_id, actor=self.actor)
            elif action == "check_in":
                booking_check_in(booking_id=booking_id, actor=Actor.staff(1))
            elif action == "check_out":
                booking_check_out(booking_id=booking_id, actor=Actor.staff(1))
            else:
                self.modify(booking_id, rooms=action == "modify_rooms")


def _run_guests(guests: list[Guest]) -> list[BaseException]:
    barrier, failures = threading.Barrier(len(guests)), []

    def run(guest: Guest) -> None:
        try:
            barrier.wait(timeout=30)
            for _ in range(STEPS):
                guest.step()
        except BaseException as exc:  # noqa: BLE001 - anything but a domain refusal is a failure
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(guest,)) for guest in guests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return failures


@override_settings(BOOKING_HOLD_MINUTES=0.04)  # 2.4 s: holds really lapse, and the sweeper meets them
def test_every_write_path_at_once_never_deadlocks_and_never_drifts(require_postgres: None) -> None:
    today = timezone.now().date()
    hotel = make_hotel(start=today, nights=8, sellable=3, timezone="UTC", rooms_per_type=3)
    guests = [Guest(hotel, today, seed, make_guest()) for seed in range(THREADS)]
    retries_before = REGISTRY.get_sample_value("bp_db_transaction_retries_total") or 0.0

    failures = _run_guests(guests)

    tally = sum((guest.tally for guest in guests), Counter())
    assert failures == [], (failures, tally)
    assert (REGISTRY.get_sample_value("bp_db_transaction_retries_total") or 0.0) == retries_before, tally
    for outcome in ("hold:ok", "book:ok", "confirm:ok", "cancel:ok", "modify_dates:ok", "check_in:ok"):
        assert tally[outcome] > 0, (outcome, tally)
    assert inventory_reconcile() == [], tally
    bookings_expire_due(now=timezone.now() + timedelta(minutes=1))
    assert not Booking.objects.filter(status=Status.HELD).exists()
    assert inventory_reconcile() == []
