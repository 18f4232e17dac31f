from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from apps.bookings import interface
from apps.bookings.errors import InvalidTransition, NoRoomAvailable, TooEarly
from apps.bookings.models import Status
from apps.bookings.services.hold import booking_book
from apps.bookings.services.stay import booking_check_in, booking_check_out, booking_no_show
from apps.bookings.tests.factories import make_hotel
from apps.bookings.tests.helpers import ARRIVAL, STAFF, audit, counts, events, stay
from booking_platform.events.models import OutboxEvent

pytestmark = pytest.mark.django_db
NIGHT2 = ARRIVAL + timedelta(days=1)
# 23:30 UTC on the eve of arrival is already 00:30 on the arrival date in Berlin.
BERLIN_MIDNIGHT_PASSED = datetime(2030, 3, 9, 23, 30, tzinfo=UTC)


def booked(hotel, *, rooms=None, nights: int = 2):
    return booking_book(request=stay(hotel, nights=nights, rooms=rooms), actor=hotel.guest)


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
    assert (booking.status, booking.version, booking.rooms.get().assigned_room_id) == (Status.CONFIRMED, 1, None)
    assert events(booking.reference) == ["booking.confirmed"]


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
    assert (third.status, third.version, third.rooms.get().assigned_room_id) == (Status.CONFIRMED, 1, None)
    assert events(third.reference) == ["booking.confirmed"]


def test_a_pre_assigned_room_is_kept(hotel) -> None:
    booking = booked(hotel)
    booking.rooms.update(assigned_room_id=hotel.room_ids[1])
    checked_in = booking_check_in(booking_id=booking.pk, actor=STAFF, now=BERLIN_MIDNIGHT_PASSED)
    assert checked_in.rooms.get().assigned_room_id == hotel.room_ids[1]


def test_check_out_on_the_booked_departure_date_keeps_every_night_sold(hotel) -> None:
    booking = booked(hotel)
    booking_check_in(booking_id=booking.pk, actor=STAFF, now=BERLIN_MIDNIGHT_PASSED)
    departure = datetime(2030, 3, 12, 9, 30, tzinfo=UTC)
    done = booking_check_out(booking_id=booking.pk, actor=STAFF, now=departure)
    assert (done.status, done.version, done.checked_out_at) == (Status.CHECKED_OUT, 3, departure)
    assert (done.check_out, done.departed_on) == (ARRIVAL + timedelta(days=2), ARRIVAL + timedelta(days=2))
    assert events(booking.reference)[-1] == "booking.checked_out"
    entry = done.audit_entries.last()
    assert (entry.action, entry.actor_kind, entry.actor_id) == ("checked_out", "staff", "1")
    assert entry.before == {"status": "checked_in", "departed_on": None, "version": 2}
    assert entry.after == {"status": "checked_out", "departed_on": "2030-03-12", "version": 3}
    assert counts(hotel.room_type_id) == {ARRIVAL: (1, 0), NIGHT2: (1, 0)}  # still sold


def test_no_show_only_after_the_arrival_date_in_hotel_time(hotel) -> None:
    booking = booked(hotel)
    # 22:59 UTC on arrival day is 23:59 in Berlin: still the arrival date.
    with pytest.raises(TooEarly):
        booking_no_show(booking_id=booking.pk, actor=STAFF, now=datetime(2030, 3, 10, 22, 59, tzinfo=UTC))
    booking.refresh_from_db()
    assert (booking.status, booking.version) == (Status.CONFIRMED, 1)
    marked = booking_no_show(booking_id=booking.pk, actor=STAFF, now=datetime(2030, 3, 10, 23, 0, tzinfo=UTC))
    assert (marked.status, marked.version) == (Status.NO_SHOW, 2)
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


def test_early_departure_gives_the_remaining_nights_back_and_keeps_the_amounts(hotel) -> None:
    booking = booked(hotel, rooms=hotel.rooms(2), nights=3)
    booking_check_in(booking_id=booking.pk, actor=STAFF, now=BERLIN_MIDNIGHT_PASSED)
    # 23:30 UTC on the first night is 00:30 on 11 March in Berlin: leaving now frees the 11th and 12th.
    leaving = datetime(2030, 3, 10, 23, 30, tzinfo=UTC)
    done = booking_check_out(booking_id=booking.pk, actor=STAFF, now=leaving)
    assert (done.status, done.version, done.departed_on) == (Status.CHECKED_OUT, 3, NIGHT2)
    assert (done.check_in, done.check_out) == (ARRIVAL, ARRIVAL + timedelta(days=3))  # as booked
    assert (done.room_total, done.total, done.cancellation_fee) == (Decimal("600.00"), Decimal("600.00"), 0)
    assert [len(room.nightly) for room in done.rooms.all()] == [3, 3]
    assert counts(hotel.room_type_id) == {ARRIVAL: (2, 0)}
    entry = done.audit_entries.last()
    assert entry.after == {
        "status": "checked_out",
        "departed_on": "2030-03-11",
        "version": 3,
        "released_from": "2030-03-11",
        "released_unit_nights": 4,
    }
    assert events(booking.reference)[-1] == "booking.checked_out"
    event = OutboxEvent.objects.filter(aggregate_id=booking.reference).order_by("pk").last()
    assert (event.payload["departed_on"], event.payload["check_out"]) == ("2030-03-11", "2030-03-13")
    assert interface.get_booking(booking.pk).departed_on == NIGHT2


def test_a_night_given_back_can_be_sold_again(hotel) -> None:
    first = booked(hotel, nights=3)
    booked(hotel, nights=3)  # two units: sold out
    booking_check_in(booking_id=first.pk, actor=STAFF, now=BERLIN_MIDNIGHT_PASSED)
    booking_check_out(booking_id=first.pk, actor=STAFF, now=datetime(2030, 3, 11, 8, 0, tzinfo=UTC))
    late_comer = booking_book(request=stay(hotel, check_in=NIGHT2, nights=2, channel="staff"), actor=STAFF)
    assert late_comer.status == Status.CONFIRMED
    assert counts(hotel.room_type_id) == {ARRIVAL: (2, 0), NIGHT2: (2, 0), ARRIVAL + timedelta(days=2): (2, 0)}


def test_leaving_on_the_arrival_date_gives_every_night_back(hotel) -> None:
    booking = booked(hotel)
    booking_check_in(booking_id=booking.pk, actor=STAFF, now=BERLIN_MIDNIGHT_PASSED)
    done = booking_check_out(booking_id=booking.pk, actor=STAFF, now=datetime(2030, 3, 10, 14, 0, tzinfo=UTC))
    assert (done.departed_on, done.total) == (ARRIVAL, Decimal("200.00"))
    assert counts(hotel.room_type_id) == {}
    after = done.audit_entries.last().after
    assert (after["released_from"], after["released_unit_nights"]) == ("2030-03-10", 2)


def test_refused_check_out_gives_nothing_back(hotel) -> None:
    booking = booked(hotel)
    with pytest.raises(InvalidTransition):
        booking_check_out(booking_id=booking.pk, actor=STAFF, now=datetime(2030, 3, 11, 8, 0, tzinfo=UTC))
    booking.refresh_from_db()
    assert (booking.status, booking.version, booking.departed_on) == (Status.CONFIRMED, 1, None)
    assert counts(hotel.room_type_id) == {ARRIVAL: (1, 0), NIGHT2: (1, 0)}
    assert audit(booking) == [("confirmed", "guest", str(hotel.guest_id))]
    assert events(booking.reference) == ["booking.confirmed"]
