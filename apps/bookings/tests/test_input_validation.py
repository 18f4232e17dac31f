"""Bad text and numbers in a booking request are refused by name before anything is taken or written.

Runs on SQLite and on PostgreSQL (where a NUL byte used to be a raw DataError and a lone
surrogate a UnicodeEncodeError from the driver).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from apps.bookings import interface
from apps.bookings.models import AuditEntry, Booking, BookingRoom
from apps.bookings.services.pricing import RoomRequest
from apps.bookings.tests.helpers import STAFF, counts, stay
from apps.bookings.validation import SPECIAL_REQUESTS_MAX
from booking_platform.errors import ValidationFailed
from booking_platform.events.models import OutboxEvent

pytestmark = pytest.mark.django_db


def assert_nothing_written(hotel) -> None:
    assert Booking.objects.count() == 0
    assert BookingRoom.objects.count() == 0
    assert counts(hotel.room_type_id) == {}  # no night sold or held
    assert AuditEntry.objects.count() == 0
    assert OutboxEvent.objects.count() == 0


def named_room(hotel, name: str) -> list[RoomRequest]:
    return hotel.rooms(guest_name=name)


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"special_requests": "late\x00arrival"}, "special_requests", "invalid_characters"),
        ({"special_requests": "late \ud800 arrival"}, "special_requests", "invalid_characters"),
        ({"special_requests": "ring the bell\x07"}, "special_requests", "invalid_characters"),
        ({"special_requests": "x" * (SPECIAL_REQUESTS_MAX + 1)}, "special_requests", "too_long"),
        ({"special_requests": 42}, "special_requests", "invalid"),
        ({"language": "en\x00"}, "language", "invalid_language"),
        ({"language": "\ud800"}, "language", "invalid_language"),
        ({"language": "en\nBcc: x@y"}, "language", "invalid_language"),
        ({"language": "xx"}, "language", "invalid_language"),
        ({"language": "klingon"}, "language", "invalid_language"),
        ({"property_id": "1"}, "property_id", "invalid"),
        ({"customer_id": None}, "customer_id", "invalid"),
        ({"check_in": "2030-03-10"}, "check_in", "invalid_date"),
        ({"check_out": None}, "check_out", "invalid_date"),
        ({"partner_reference": "PO-1\x00"}, "partner_reference", "invalid_characters"),
        ({"partner_reference": "PO-1\r\nX: y"}, "partner_reference", "invalid_characters"),
        ({"partner_reference": "P" * 65}, "partner_reference", "too_long"),
        ({"rooms": ["double"]}, "rooms[0]", "invalid"),
    ],
)
def test_bad_request_fields_are_named_and_nothing_is_written(hotel, change: dict, field: str, code: str) -> None:
    request = replace(stay(hotel), **change)

    with pytest.raises(ValidationFailed) as caught:
        interface.hold_booking(request=request, actor=hotel.guest)

    assert (caught.value.code, caught.value.extra) == (code, {"field": field})
    assert_nothing_written(hotel)


@pytest.mark.parametrize(
    ("room", "field", "code"),
    [
        ({"guest_name": "Ann\x00Lee"}, "rooms[0].guest_name", "invalid_characters"),
        ({"guest_name": "Ann \udfff Lee"}, "rooms[0].guest_name", "invalid_characters"),
        ({"guest_name": "Ann Lee\r\nBcc: x@y"}, "rooms[0].guest_name", "invalid_characters"),
        ({"guest_name": "Ann\u2028Lee"}, "rooms[0].guest_name", "invalid_characters"),
        ({"guest_name": "A" * 201}, "rooms[0].guest_name", "too_long"),
        ({"adults": "2"}, "rooms[0].adults", "invalid"),
        ({"adults": 21}, "rooms[0].adults", "out_of_range"),
        ({"children": -1}, "rooms[0].children", "out_of_range"),
        ({"rate_plan_id": 1.0}, "rooms[0].rate_plan_id", "invalid"),
    ],
)
def test_bad_room_lines_are_named_and_nothing_is_written(hotel, room: dict, field: str, code: str) -> None:
    request = stay(hotel, rooms=[replace(hotel.rooms()[0], **room)])

    with pytest.raises(ValidationFailed) as caught:
        interface.book(request=request, actor=STAFF)

    assert (caught.value.code, caught.value.extra) == (code, {"field": field})
    assert_nothing_written(hotel)


def test_clean_input_is_stored_normalised(hotel) -> None:
    requests = "  Late arrival,\r\nplease\tkeep the room.  " + "x" * (SPECIAL_REQUESTS_MAX - 40)
    request = stay(
        hotel, language=" de-AT ", special_requests=requests, rooms=named_room(hotel, " Zoë O'Brien-Łukasz ")
    )

    info = interface.hold_booking(request=request, actor=hotel.guest)

    booking = Booking.objects.get(pk=info.id)
    assert booking.language == "de-at"
    assert booking.special_requests == requests.strip().replace("\r\n", "\n")
    assert len(booking.special_requests) <= SPECIAL_REQUESTS_MAX
    assert list(booking.rooms.values_list("guest_name", flat=True)) == ["Zoë O'Brien-Łukasz"]


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"rooms": [RoomRequest(room_type_id=1, rate_plan_id=1, adults=2, guest_name="Ann\x00Lee")]},
         "rooms[0].guest_name", "invalid_characters"),
        ({"check_out": "2030-03-20"}, "check_out", "invalid_date"),
    ],
)  # fmt: skip
def test_modify_refuses_bad_input_and_changes_nothing(hotel, change: dict, field: str, code: str) -> None:
    info = interface.book(request=stay(hotel, rooms=named_room(hotel, "Ann Lee")), actor=STAFF)
    trail = AuditEntry.objects.count()

    with pytest.raises(ValidationFailed) as caught:
        interface.modify_booking(booking_id=info.id, actor=STAFF, expected_version=info.version, **change)

    assert (caught.value.code, caught.value.extra) == (code, {"field": field})
    booking = Booking.objects.get(pk=info.id)
    assert (booking.version, booking.allocation_key) == (info.version, info.reference)
    assert list(booking.rooms.values_list("guest_name", flat=True)) == ["Ann Lee"]
    assert AuditEntry.objects.count() == trail
