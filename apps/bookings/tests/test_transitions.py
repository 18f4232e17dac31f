"""Every action against every status: allowed moves happen, the others are refused and change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from apps.availability.interface import HoldExpired
from apps.bookings.errors import InvalidTransition
from apps.bookings.models import Booking, Status
from apps.bookings.services.hold import booking_book, booking_hold
from apps.bookings.services.lifecycle import booking_cancel, booking_confirm, booking_expire
from apps.bookings.services.modify import booking_modify
from apps.bookings.services.stay import booking_check_in, booking_check_out, booking_no_show
from apps.bookings.tests.helpers import ARRIVAL, STAFF, audit, counts, events, guest_of, stay
from booking_platform.events.models import OutboxEvent

pytestmark = pytest.mark.django_db
ARRIVAL_NOON = datetime(ARRIVAL.year, ARRIVAL.month, ARRIVAL.day, 11, 0, tzinfo=UTC)
DAY_AFTER = ARRIVAL_NOON + timedelta(days=1)
DEPARTURE = ARRIVAL_NOON + timedelta(days=2)  # the booked check-out date: no night given back
LATER = datetime(2031, 1, 1, tzinfo=UTC)

ACTIONS = {
    "confirm": lambda b: booking_confirm(booking_id=b.pk, actor=guest_of(b)),
    "cancel": lambda b: booking_cancel(booking_id=b.pk, actor=guest_of(b)),
    "check_in": lambda b: booking_check_in(booking_id=b.pk, actor=STAFF, now=ARRIVAL_NOON),
    "check_out": lambda b: booking_check_out(booking_id=b.pk, actor=STAFF, now=DEPARTURE),
    "no_show": lambda b: booking_no_show(booking_id=b.pk, actor=STAFF, now=DAY_AFTER),
    "expire": lambda b: booking_expire(booking_id=b.pk, now=LATER),
    "modify": lambda b: booking_modify(
        booking_id=b.pk, actor=guest_of(b), expected_version=b.version, check_out=b.check_out + timedelta(days=1)
    ),
}
ALLOWED = {
    "confirm": {Status.HELD, Status.CONFIRMED},  # confirming again returns the booking unchanged
    "cancel": {Status.HELD, Status.CONFIRMED},
    "check_in": {Status.CONFIRMED},
    "check_out": {Status.CHECKED_IN},
    "no_show": {Status.CONFIRMED},
    "expire": {Status.HELD},
    "modify": {Status.HELD, Status.CONFIRMED},
}
RESULT = {
    "confirm": Status.CONFIRMED,
    "cancel": Status.CANCELLED,
    "check_in": Status.CHECKED_IN,
    "check_out": Status.CHECKED_OUT,
    "no_show": Status.NO_SHOW,
    "expire": Status.EXPIRED,
    "modify": None,
}


def in_status(hotel, status: str) -> Booking:
    kwargs = {"request": stay(hotel, nights=2), "actor": hotel.guest}
    if status in {Status.HELD, Status.EXPIRED}:
        booking = booking_hold(**kwargs)
        if status == Status.EXPIRED:
            booking_expire(booking_id=booking.pk, now=LATER)
    else:
        booking = booking_book(**kwargs)
        if status in {Status.CHECKED_IN, Status.CHECKED_OUT}:
            booking_check_in(booking_id=booking.pk, actor=STAFF, now=ARRIVAL_NOON)
        if status == Status.CHECKED_OUT:
            booking_check_out(booking_id=booking.pk, actor=STAFF, now=DEPARTURE)
        if status == Status.CANCELLED:
            booking_cancel(booking_id=booking.pk, actor=guest_of(booking))
        if status == Status.NO_SHOW:
            booking_no_show(booking_id=booking.pk, actor=STAFF, now=DAY_AFTER)
    booking.refresh_from_db()
    assert booking.status == status
    return booking


def state(hotel, booking: Booking) -> tuple:
    booking.refresh_from_db()
    return (
        booking.status,
        booking.version,
        booking.check_out,
        audit(booking),
        events(booking.reference),
        OutboxEvent.objects.count(),
        counts(hotel.room_type_id),
        list(booking.rooms.values_list("assigned_room_id", flat=True)),
    )


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_action_in_every_status(hotel, status: str, action: str) -> None:
    booking = in_status(hotel, status)
    before = state(hotel, booking)
    if status in ALLOWED[action]:
        result = ACTIONS[action](booking)
        assert result.status == (RESULT[action] or status)
        if action == "confirm" and status == Status.CONFIRMED:
            assert state(hotel, booking) == before
        else:
            assert result.version == booking.version + 1
            assert len(events(booking.reference)) == len(before[4]) + 1
        return
    if (action, status) == ("confirm", Status.EXPIRED):
        # The sweeper got there first: the same answer as a moment earlier, "your hold is gone".
        with pytest.raises(HoldExpired) as gone:
            ACTIONS[action](booking)
        assert gone.value.code == "hold_expired"
        assert state(hotel, booking) == before
        return
    with pytest.raises(InvalidTransition) as exc:
        ACTIONS[action](booking)
    assert exc.value.code == "invalid_transition"
    assert exc.value.extra["status"] == status
    assert state(hotel, booking) == before
