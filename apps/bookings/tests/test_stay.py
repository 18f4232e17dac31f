from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from apps.bookings.errors import NoRoomAvailable, TooEarly
from apps.bookings.models import Status
from apps.bookings.services.hold import booking_book
from apps.bookings.services.stay import booking_check_in, booking_check_out, booking_no_show
from apps.bookings.tests.factories import make_hotel
from apps.bookings.tests.helpers import ARRIVAL, STAFF, audit, counts, events

pytestmark = pytest.mark.django_db
NIGHT2 = ARRIVAL + timedelta(days=1)
# 23:30 UTC on the eve of arrival is already 00:30 on the arrival date in Berlin.
BERLIN_MIDNIGHT_PASSED = datetime(2030, 3, 9, 23, 30, tzinfo=UTC)


def booked(hotel, *, rooms=None):
    return booking_book(
        property_id=hotel.property_id,
        customer_id=hotel.guest_id,
        check_in=ARRIVAL,
        check_out=ARRIVAL + timedelta(days=2),
        rooms=rooms or hotel.rooms(),
        channel="web",
        actor=hotel.guest,
    )


def test_check_in_on_the_hotel_arrival_date_assigns_clean_rooms(hotel) -> None:
    booking = booked(hotel, rooms=hotel.rooms(2))
    checked_in = booking_check_in(booking_id=booking.pk, actor=STAFF, now=BERLIN_MIDNIGHT_PASSED)
    assert (checked_in.status, checked_in.checked_in_at) == (Status.CHECKED_IN, BERLIN_MIDNIGHT_PASSED)
    assert sorted(checked_in.rooms.values_list("assigned_room_id", flat=True)) == list(hotel.room_ids[:2])
    assert events(booking.reference)[-1] == "booking.checked_in"
    assert audit(booking)[-1] == ("checked_in", "staff", "1")
    assert checked_in.audit_entries.last().after["status"] == "checked_in"
    assert counts(hotel.room_type_id) == {ARRIVAL: (2, 0), NIGHT2: (2, 0)}


def test_check_in_before_the_arrival_date_in_hotel_time_is_refused(hotel) -> None:
    booking = booked(hotel)
    with pytest.raises(TooEarly) as exc:
        booking_check_in(booking_id=booking.pk, actor=STAFF, now=BERLIN_MIDNIGHT_PASSED - timedelta(hours=1))
    assert exc.value.code == "too_early"
    booking.refresh_from_db()
    assert (booking.status, booking.version, booking.rooms.get().assigned_room_id) == (Status.CONFIRMED, 2, None)
    assert events(booking.reference) == ["booking.held", "booking.confirmed"]


def test_rooms_in_house_are_not_given_twice_and_none_free_is_refused() -> None:
    # Three sellable units but two physical rooms (one is out of order, say): the third guest waits.
    hotel = make_hotel(start=ARRIVAL, nights=3, sellable=3, rooms_per_type=2)
    first, second, third = booked(hotel), booked(hotel), booked(hotel)
    booking_check_in(booking_id=first.pk, actor=STAFF, now=BERLIN_MIDNIGHT_PASSED)
    booking_check_in(booking_id=second.pk, actor=STAFF, now=BERLIN_MIDNIGHT_PASSED)
    assigned = [b.rooms.get().assigned_room_id for b in (first, second)]
    assert sorted(assigned) == list(hotel.room_ids[:2])
    with pytest.raises(NoRoomAvailable) as exc:
        booking_check_in(booking_id=third.pk, actor=STAFF, now=BERLIN_MIDNIGHT_PASSED)
    assert exc.value.code == "no_room_available"
    third.refresh_from_db()
    assert (third.status, third.version, third.rooms.get().assigned_room_id) == (Status.CONFIRMED, 2, None)
    assert events(third.reference) == ["booking.held", "booking.confirmed"]


def test_a_pre_assigned_room_is_kept(hotel) -> None:
    booking = booked(hotel)
    booking.rooms.update(assigned_room_id=hotel.room_ids[1])
    checked_in = booking_check_in(booking_id=booking.pk, actor=STAFF, now=BERLIN_MIDNIGHT_PASSED)
    assert checked_in.rooms.get().assigned_room_id == hotel.room_ids[1]


def test_check_out(hotel) -> None:
    booking = booked(hotel)
    booking_check_in(booking_id=booking.pk, actor=STAFF, now=BERLIN_MIDNIGHT_PASSED)
    done = booking_check_out(booking_id=booking.pk, actor=STAFF)
    assert (done.status, done.version) == (Status.CHECKED_OUT, 4)
    assert done.checked_out_at is not None
    assert events(booking.reference)[-1] == "booking.checked_out"
    assert counts(hotel.room_type_id) == {ARRIVAL: (1, 0), NIGHT2: (1, 0)}  # still sold


def test_no_show_only_after_the_arrival_date_in_hotel_time(hotel) -> None:
    booking = booked(hotel)
    # 22:59 UTC on arrival day is 23:59 in Berlin: still the arrival date.
    with pytest.raises(TooEarly):
        booking_no_show(booking_id=booking.pk, actor=STAFF, now=datetime(2030, 3, 10, 22, 59, tzinfo=UTC))
    booking.refresh_from_db()
    assert (booking.status, booking.version) == (Status.CONFIRMED, 2)
    marked = booking_no_show(booking_id=booking.pk, actor=STAFF, now=datetime(2030, 3, 10, 23, 0, tzinfo=UTC))
    assert (marked.status, marked.version) == (Status.NO_SHOW, 3)
    assert events(booking.reference)[-1] == "booking.no_show"
    assert counts(hotel.room_type_id) == {ARRIVAL: (1, 0), NIGHT2: (1, 0)}  # the nights stay sold


def test_check_in_after_the_stay_is_refused() -> None:
    hotel = make_hotel(start=ARRIVAL, nights=3)
    booking = booked(hotel)
    with pytest.raises(TooEarly) as exc:
        booking_check_in(booking_id=booking.pk, actor=STAFF, now=datetime(2030, 3, 12, 12, tzinfo=UTC))
    assert exc.value.code == "stay_over"
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
