"""The issue's deadlock, forced step by step on PostgreSQL: a modify beside a hold on overlapping nights.

Booking A (nights 1-2) moves to nights 2-4 while another guest's hold covers nights 0-3. A third
connection holds night 3's row, so both transactions stop at a known point:

- two lock passes (take new, then lock old): the modify holds night 2 and waits for night 3, the hold
  side holds nights 0-1 and waits for night 2; once night 3 is free the modify reaches back for night 1
  -> a deadlock, which the database breaks by aborting one of them (seen here as a retry).
- one ordered pass: the modify holds nights 1-2 and waits for 3, the other waits for night 1; nothing
  circular, both finish, and no transaction is ever re-run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from prometheus_client import REGISTRY

from apps.bookings.actors import Actor
from apps.bookings.models import Booking, Status
from apps.bookings.services.hold import booking_hold
from apps.bookings.services.lifecycle import booking_cancel, booking_confirm
from apps.bookings.services.modify import booking_modify
from apps.bookings.services.reconcile import inventory_reconcile
from apps.bookings.tests.factories import make_guest, make_hotel
from apps.bookings.tests.helpers import ARRIVAL, counts, guest_of, stay

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NIGHT = [ARRIVAL + timedelta(days=offset) for offset in range(6)]


def _retries() -> float:
    return REGISTRY.get_sample_value("bp_db_transaction_retries_total") or 0.0


def _waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def _wait_until_waiting(expected: int) -> None:
    deadline = time.monotonic() + 15
    while _waiting_on_locks() < expected:
        assert time.monotonic() < deadline, f"expected {expected} transactions waiting on a row lock"
        time.sleep(0.02)


def _in_thread(call: Callable[[], Any], results: dict[str, Any], name: str) -> threading.Thread:
    def run() -> None:
        try:
            results[name] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 - the test inspects what happened
            results[name] = ("error", exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _blocker(room_type_id: int, night, locked: threading.Event, release: threading.Event) -> threading.Thread:
    """A third transaction holding one inventory row until told to let go."""

    def run() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT id FROM availability_inventory WHERE room_type_id = %s AND night = %s FOR UPDATE",
                    [room_type_id, night],
                )
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.parametrize("beside", ["hold", "confirm", "cancel"])
def test_modify_beside_an_overlapping_hold_never_deadlocks(require_postgres: None, beside: str) -> None:
    hotel = make_hotel(start=ARRIVAL, nights=6, sellable=3)
    moving = booking_hold(request=stay(hotel, check_in=NIGHT[1], nights=2), actor=hotel.guest)
    moving = booking_confirm(booking_id=moving.pk, actor=hotel.guest)
    other = Actor.guest(make_guest())
    wide = stay(hotel, customer_id=int(other.id), check_in=NIGHT[0], nights=4)
    held = booking_hold(request=wide, actor=other) if beside != "hold" else None
    side_calls = {
        "hold": lambda: booking_hold(request=wide, actor=other),
        "confirm": lambda: booking_confirm(booking_id=held.pk, actor=other),
        "cancel": lambda: booking_cancel(booking_id=held.pk, actor=other),
    }
    retries_before = _retries()
    locked, release, results = threading.Event(), threading.Event(), {}
    blocker = _blocker(hotel.room_type_id, NIGHT[3], locked, release)
    assert locked.wait(timeout=10)
    modify = _in_thread(
        lambda: booking_modify(
            booking_id=moving.pk,
            actor=guest_of(moving),
            expected_version=moving.version,
            check_in=NIGHT[2],
            check_out=NIGHT[5],
        ),
        results,
        "modify",
    )
    _wait_until_waiting(1)
    side = _in_thread(side_calls[beside], results, beside)
    _wait_until_waiting(2)
    release.set()
    for thread in (blocker, modify, side):
        thread.join(timeout=30)

    assert results["modify"][0] == "ok", results
    assert results[beside][0] == "ok", results
    assert _retries() == retries_before  # nobody lost a deadlock and had to be re-run
    moving.refresh_from_db()
    assert (moving.check_in, moving.check_out, moving.status) == (NIGHT[2], NIGHT[5], Status.CONFIRMED)
    side_booking = Booking.objects.exclude(pk=moving.pk).get()
    wide_nights = {NIGHT[0]: 1, NIGHT[1]: 1, NIGHT[2]: 1, NIGHT[3]: 1}
    expected_state = {"hold": Status.HELD, "confirm": Status.CONFIRMED, "cancel": Status.CANCELLED}[beside]
    assert side_booking.status == expected_state
    sold = dict.fromkeys(NIGHT[2:5], 1)
    held_nights = {}
    if beside == "confirm":
        sold = {night: sold.get(night, 0) + wide_nights.get(night, 0) for night in NIGHT[0:5]}
    elif beside == "hold":
        held_nights = wide_nights
    expected = {
        night: (sold.get(night, 0), held_nights.get(night, 0))
        for night in NIGHT
        if (sold.get(night, 0), held_nights.get(night, 0)) != (0, 0)
    }
    assert counts(hotel.room_type_id, ARRIVAL, 6) == expected
    assert inventory_reconcile() == []
