from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from apps.availability.interface import NotAvailable
from apps.bookings.actors import Actor
from apps.bookings.errors import StaleVersion
from apps.bookings.models import Status
from apps.bookings.services.hold import booking_book, booking_hold
from apps.bookings.services.modify import booking_modify
from apps.bookings.services.pricing import RoomRequest
from apps.bookings.tests.factories import make_guest, make_hotel
from apps.bookings.tests.helpers import ARRIVAL, audit, counts, events, guest_of, stay
from booking_platform.events.models import OutboxEvent

pytestmark = pytest.mark.django_db
D = [ARRIVAL + timedelta(days=i) for i in range(8)]


def booked(hotel, *, nights: int = 2, hold: bool = False):
    service = booking_hold if hold else booking_book
    return service(request=stay(hotel, check_in=D[0], nights=nights), actor=hotel.guest)


def snapshot(hotel, booking) -> tuple:
    booking.refresh_from_db()
    return (
        booking.version,
        booking.check_in,
        booking.check_out,
        booking.total,
        booking.allocation_key,
        list(booking.rooms.values_list("room_type_id", "rate_plan_id", "adults", "nightly")),
        audit(booking),
        OutboxEvent.objects.count(),
        counts(hotel.room_type_id),
        counts(hotel.other_room_type_id),
    )


def test_new_dates_move_the_inventory_and_reprice(hotel) -> None:
    booking = booked(hotel)
    changed = booking_modify(
        booking_id=booking.pk, actor=guest_of(booking), expected_version=1, check_in=D[3], check_out=D[6]
    )
    assert (changed.check_in, changed.check_out, changed.version, changed.status) == (D[3], D[6], 2, Status.CONFIRMED)
    assert (changed.total, changed.allocation_key) == (Decimal("300.00"), f"{booking.reference}#2")
    assert counts(hotel.room_type_id) == {D[3]: (1, 0), D[4]: (1, 0), D[5]: (1, 0)}
    assert events(booking.reference) == ["booking.confirmed", "booking.modified"]
    payload = OutboxEvent.objects.get(event_type="booking.modified").payload
    assert payload["previous"] == {"check_in": "2030-03-10", "check_out": "2030-03-12", "total": "200.00"}
    assert (payload["check_in"], payload["total"]) == ("2030-03-13", "300.00")
    entry = changed.audit_entries.last()
    assert (entry.action, entry.before["check_in"], entry.after["check_in"]) == ("modified", "2030-03-10", "2030-03-13")
    assert entry.before["total"] == "200.00"
    assert entry.after["total"] == "300.00"


def test_other_room_type_and_rate_plan(hotel) -> None:
    booking = booked(hotel)
    suite = [RoomRequest(room_type_id=hotel.other_room_type_id, rate_plan_id=hotel.other_rate_plan_id, adults=1)]
    changed = booking_modify(booking_id=booking.pk, actor=guest_of(booking), expected_version=1, rooms=suite)
    room = changed.rooms.get()
    assert (room.room_type_id, room.rate_plan_id, room.adults, changed.adults) == (
        hotel.other_room_type_id,
        hotel.other_rate_plan_id,
        1,
        1,
    )
    assert changed.total == Decimal("480.00")  # 2 nights x 200 x 1.2
    assert counts(hotel.room_type_id) == {}
    assert counts(hotel.other_room_type_id) == {D[0]: (1, 0), D[1]: (1, 0)}


def test_modifying_a_hold_keeps_it_a_hold_until_the_same_time(hotel) -> None:
    booking = booked(hotel, hold=True)
    changed = booking_modify(booking_id=booking.pk, actor=guest_of(booking), expected_version=1, check_out=D[3])
    assert (changed.status, changed.expires_at) == (Status.HELD, booking.expires_at)
    assert counts(hotel.room_type_id) == {D[0]: (0, 1), D[1]: (0, 1), D[2]: (0, 1)}


def test_guests_only_change_works_on_a_sold_out_night() -> None:
    hotel = make_hotel(start=ARRIVAL, nights=4, sellable=1)
    booking = booked(hotel)
    rooms = [RoomRequest(room_type_id=hotel.room_type_id, rate_plan_id=hotel.rate_plan_id, adults=1)]
    changed = booking_modify(booking_id=booking.pk, actor=guest_of(booking), expected_version=1, rooms=rooms)
    assert (changed.adults, changed.allocation_key, changed.version) == (1, f"{booking.reference}#2", 2)
    assert counts(hotel.room_type_id) == {D[0]: (1, 0), D[1]: (1, 0)}


def test_sold_out_new_dates_change_nothing() -> None:
    hotel = make_hotel(start=ARRIVAL, nights=6, sellable=1)
    booking = booked(hotel)
    other_guest = make_guest()
    booking_book(request=stay(hotel, customer_id=other_guest, check_in=D[3], nights=1), actor=Actor.guest(other_guest))
    before = snapshot(hotel, booking)
    with pytest.raises(NotAvailable):
        booking_modify(
            booking_id=booking.pk, actor=guest_of(booking), expected_version=1, check_in=D[2], check_out=D[5]
        )
    assert snapshot(hotel, booking) == before


def test_overlapping_move_on_a_full_night_needs_the_new_unit_first() -> None:
    """The new allocation is taken before the old one is released, so a one-unit night cannot be shared."""
    hotel = make_hotel(start=ARRIVAL, nights=6, sellable=1)
    booking = booked(hotel)
    before = snapshot(hotel, booking)
    with pytest.raises(NotAvailable) as exc:
        booking_modify(
            booking_id=booking.pk, actor=guest_of(booking), expected_version=1, check_in=D[1], check_out=D[3]
        )
    assert exc.value.extra["nights"] == ["2030-03-11"]
    assert snapshot(hotel, booking) == before


def test_stale_version_is_refused_and_changes_nothing(hotel) -> None:
    booking = booked(hotel)
    booking_modify(booking_id=booking.pk, actor=guest_of(booking), expected_version=1, check_out=D[3])
    before = snapshot(hotel, booking)
    with pytest.raises(StaleVersion) as exc:
        booking_modify(booking_id=booking.pk, actor=guest_of(booking), expected_version=1, check_out=D[4])
    assert exc.value.code == "stale_version"
    assert exc.value.extra == {"expected_version": 1, "version": 2}
    assert snapshot(hotel, booking) == before


def test_check_out_before_check_in_is_refused(hotel) -> None:
    booking = booked(hotel)
    before = snapshot(hotel, booking)
    with pytest.raises(Exception) as exc:  # noqa: PT011
        booking_modify(
            booking_id=booking.pk, actor=guest_of(booking), expected_version=1, check_in=D[3], check_out=D[2]
        )
    assert (exc.value.code, exc.value.extra) == ("check_out_not_after_check_in", {"field": "check_out"})
    assert snapshot(hotel, booking) == before
