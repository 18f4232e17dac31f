from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.availability.interface import repair_inventory_counts
from apps.bookings.services.hold import booking_book, booking_hold
from apps.bookings.services.lifecycle import booking_cancel
from apps.bookings.services.reconcile import Drift, expected_counts, find_drift, inventory_reconcile
from apps.bookings.services.stay import booking_check_in, booking_check_out
from apps.bookings.tasks import reconcile_inventory
from apps.bookings.tests.helpers import ARRIVAL, STAFF, counts, stay

pytestmark = pytest.mark.django_db
N1, N2, N3 = ARRIVAL, ARRIVAL + timedelta(days=1), ARRIVAL + timedelta(days=2)


def make(hotel, service, *, nights: int = 2, room_type_id: int | None = None):
    return service(
        request=stay(hotel, check_in=N1, nights=nights, rooms=hotel.rooms(room_type_id=room_type_id)), actor=hotel.guest
    )


@pytest.fixture
def busy(hotel):
    make(hotel, booking_book)
    make(hotel, booking_hold, nights=1)
    booking_cancel(booking_id=make(hotel, booking_book, room_type_id=hotel.other_room_type_id).pk, actor=hotel.guest)
    return hotel


def test_no_drift_when_counts_match_the_bookings(busy) -> None:
    assert counts(busy.room_type_id) == {N1: (1, 1), N2: (1, 0)}
    assert inventory_reconcile() == []


def test_each_drift_is_reported_and_fixed(busy) -> None:
    repair_inventory_counts(counts={(busy.room_type_id, N2): (0, 0), (busy.other_room_type_id, N1): (2, 0)})
    drifts = inventory_reconcile()
    assert drifts == [
        Drift(room_type_id=busy.room_type_id, night=N2, expected=(1, 0), actual=(0, 0)),
        Drift(room_type_id=busy.other_room_type_id, night=N1, expected=(0, 0), actual=(2, 0)),
    ]
    assert str(drifts[0]) == (
        f"room type {busy.room_type_id} night 2030-03-11: inventory sold=0 held=0, bookings say sold=1 held=0"
    )
    assert counts(busy.room_type_id) == {N1: (1, 1)}  # reporting alone repairs nothing
    assert inventory_reconcile(fix=True) == drifts
    assert counts(busy.room_type_id) == {N1: (1, 1), N2: (1, 0)}
    assert counts(busy.other_room_type_id) == {}
    assert inventory_reconcile() == []


def test_lapsed_holds_count_as_free_on_both_sides(busy, clock) -> None:
    clock.advance(minutes=20)
    assert counts(busy.room_type_id) == {N1: (1, 0), N2: (1, 0)}
    assert inventory_reconcile() == []


def test_command_reports_and_fails_then_fixes(busy) -> None:
    repair_inventory_counts(counts={(busy.room_type_id, N1): (3, 0)})
    out = StringIO()
    with pytest.raises(CommandError, match="1 drift"):
        call_command("reconcile_inventory", stdout=out)
    assert out.getvalue() == (
        f"drift: room type {busy.room_type_id} night 2030-03-10: inventory sold=3 held=0, bookings say sold=1 held=1\n"
    )
    out = StringIO()
    call_command("reconcile_inventory", "--fix", stdout=out)
    assert out.getvalue().splitlines()[-1] == "reconcile_inventory: 1 drift(s) repaired"
    out = StringIO()
    call_command("reconcile_inventory", "--start", "2030-03-01", "--end", "2030-04-01", stdout=out)
    assert out.getvalue() == "reconcile_inventory: no drift\n"


def test_window_limits_what_is_compared(busy) -> None:
    repair_inventory_counts(counts={(busy.room_type_id, N2): (0, 0)})
    assert inventory_reconcile(start=N1, end=N2) == []
    assert len(inventory_reconcile(start=date(2030, 3, 1), end=date(2030, 4, 1))) == 1


def test_nightly_task_logs_an_error_per_drift(busy, caplog) -> None:
    assert reconcile_inventory.name == "bookings.reconcile_inventory"
    with caplog.at_level(logging.INFO, logger="apps.bookings.tasks"):
        assert reconcile_inventory.delay().get() == 0
    assert [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "apps.bookings.tasks"] == [
        ("INFO", "inventory reconciled: no drift")
    ]
    caplog.clear()
    repair_inventory_counts(counts={(busy.room_type_id, N2): (0, 0)})
    with caplog.at_level(logging.INFO, logger="apps.bookings.tasks"):
        assert reconcile_inventory.delay().get() == 1
    [record] = [r for r in caplog.records if r.name == "apps.bookings.tasks"]
    assert (record.levelname, record.getMessage(), record.night, record.expected_sold, record.actual_sold) == (
        "ERROR",
        "inventory drift",
        "2030-03-11",
        1,
        0,
    )


def test_nights_given_back_by_an_early_departure_are_not_sold_on_either_side(hotel) -> None:
    booking = make(hotel, booking_book, nights=3)
    booking_check_in(booking_id=booking.pk, actor=STAFF, now=datetime(2030, 3, 10, 12, tzinfo=UTC))
    booking_check_out(booking_id=booking.pk, actor=STAFF, now=datetime(2030, 3, 11, 8, tzinfo=UTC))
    assert counts(hotel.room_type_id) == {N1: (1, 0)}
    now = datetime(2030, 3, 11, 9, tzinfo=UTC)
    assert expected_counts(start=N1, end=N1 + timedelta(days=3), now=now) == {(hotel.room_type_id, N1): (1, 0)}
    assert inventory_reconcile() == []
    assert inventory_reconcile(fix=True) == []
    assert counts(hotel.room_type_id) == {N1: (1, 0)}  # --fix does not sell the freed nights again


def test_a_hold_lapsing_between_the_two_reads_is_not_drift(hotel, clock) -> None:
    clock.set(datetime(2030, 1, 5, 12, tzinfo=UTC))
    make(hotel, booking_hold, nights=1)
    judged_at = clock.now + timedelta(minutes=14)  # the bookings are read while the hold still runs...
    clock.advance(minutes=16)  # ...and the inventory a moment later, when it has lapsed
    assert find_drift(start=N1, end=N3, now=judged_at) == []
    assert counts(hotel.room_type_id) == {}  # read at the current time, the lapsed hold is free
