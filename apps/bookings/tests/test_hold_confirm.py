from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.availability.interface import HoldExpired, NotAvailable
from apps.bookings.models import AuditEntry, Booking, Status
from apps.bookings.services.hold import booking_book, booking_hold
from apps.bookings.services.lifecycle import booking_cancel, booking_confirm, booking_expire, bookings_expire_due
from apps.bookings.tests.factories import make_guest
from apps.bookings.tests.helpers import ARRIVAL, STAFF, audit, counts, events, guest_of, stay
from apps.customers import interface as customers
from booking_platform.errors import NotFound, ValidationFailed
from booking_platform.events.models import OutboxEvent

pytestmark = pytest.mark.django_db
NIGHT1, NIGHT2, NIGHT3 = ARRIVAL, ARRIVAL + timedelta(days=1), ARRIVAL + timedelta(days=2)


def hold(hotel, *, rooms=None, nights: int = 2, **kwargs):
    return booking_hold(request=stay(hotel, nights=nights, rooms=rooms, **kwargs), actor=hotel.guest)


def test_hold_takes_inventory_as_held_and_locks_the_price(hotel, clock) -> None:
    clock.set(timezone.now())
    booking = hold(hotel, special_requests="Late arrival", language="de")
    booking.refresh_from_db()
    assert booking.status == Status.HELD
    assert booking.expires_at == clock.now + timedelta(minutes=15)
    assert booking.allocation_key == booking.reference
    assert (booking.room_total, booking.total, booking.currency) == (Decimal("200.00"), Decimal("200.00"), "EUR")
    assert (booking.adults, booking.children, booking.version) == (2, 0, 1)
    assert booking.cancellation_policy == {
        "kind": "free_cancellation",
        "free_until_hours": 48,
        "fee_kind": "first_night",
        "fee_percent": None,
    }
    room = booking.rooms.get()
    assert room.nightly == [{"night": "2030-03-10", "price": "100.00"}, {"night": "2030-03-11", "price": "100.00"}]
    assert (room.room_type_name, room.rate_plan_name) == ("Double", "Flexible")
    assert counts(hotel.room_type_id) == {NIGHT1: (0, 1), NIGHT2: (0, 1)}
    assert events(booking.reference) == ["booking.held"]
    assert audit(booking) == [("held", "guest", str(hotel.guest_id))]


@override_settings(BOOKING_HOLD_MINUTES=3)
def test_hold_time_comes_from_the_setting(hotel, clock) -> None:
    clock.set(timezone.now())
    assert hold(hotel).expires_at == clock.now + timedelta(minutes=3)


def test_event_payload_follows_the_contract_without_personal_data(hotel) -> None:
    booking = hold(hotel, rooms=hotel.rooms(guest_name="Ottilie Quandt"), special_requests="Vegan breakfast")
    event = OutboxEvent.objects.get(aggregate_id=booking.reference)
    assert (event.event_type, event.aggregate_type, event.payload_version) == ("booking.held", "booking", 1)
    payload = event.payload
    assert payload == {
        "reference": booking.reference,
        "booking_id": booking.pk,
        "property_id": hotel.property_id,
        "customer_id": hotel.guest_id,
        "status": "held",
        "channel": "web",
        "partner_id": None,
        "language": "en",
        "check_in": "2030-03-10",
        "check_out": "2030-03-12",
        "currency": "EUR",
        "total": "200.00",
        "taxes": "0.00",
        "policy": {"kind": "free_cancellation", "free_until_hours": 48, "fee_kind": "first_night", "fee_percent": None},
        "policy_text": "Free cancellation until 8 Mar 2030 15:00 (hotel time); after that the first night is charged.",
        "rooms": [
            {
                "room_type_id": hotel.room_type_id,
                "room_type_name": "Double",
                "rate_plan_id": hotel.rate_plan_id,
                "rate_plan_name": "Flexible",
                "adults": 2,
                "children": 0,
                "nights": [{"night": "2030-03-10", "price": "100.00"}, {"night": "2030-03-11", "price": "100.00"}],
            }
        ],
        "actor": {"kind": "guest", "id": str(hotel.guest_id)},
    }
    assert "Ottilie" not in str(payload)
    assert "Vegan" not in str(payload)


def test_two_rooms_of_one_type_take_two_units(hotel) -> None:
    booking = hold(hotel, rooms=hotel.rooms(2), nights=1)
    assert booking.total == Decimal("200.00")
    assert booking.adults == 4
    assert counts(hotel.room_type_id) == {NIGHT1: (0, 2)}


def test_hold_refused_when_sold_out_changes_nothing(hotel) -> None:
    hold(hotel, rooms=hotel.rooms(2))
    before = (Booking.objects.count(), OutboxEvent.objects.count(), counts(hotel.room_type_id))
    with pytest.raises(NotAvailable) as exc:
        hold(hotel)
    assert exc.value.code == "not_available"
    assert (Booking.objects.count(), OutboxEvent.objects.count(), counts(hotel.room_type_id)) == before


def test_confirm_moves_held_to_sold_and_twice_returns_the_same_booking(hotel) -> None:
    booking = hold(hotel)
    confirmed = booking_confirm(booking_id=booking.pk, actor=guest_of(booking))
    assert (confirmed.status, confirmed.version, confirmed.expires_at) == (Status.CONFIRMED, 2, None)
    assert confirmed.confirmed_at is not None
    again = booking_confirm(booking_id=booking.pk, actor=guest_of(booking))
    assert (again.pk, again.status, again.version) == (booking.pk, Status.CONFIRMED, 2)
    assert counts(hotel.room_type_id) == {NIGHT1: (1, 0), NIGHT2: (1, 0)}
    assert events(booking.reference) == ["booking.held", "booking.confirmed"]
    guest = str(hotel.guest_id)
    assert audit(booking) == [("held", "guest", guest), ("confirmed", "guest", guest)]
    entry = booking.audit_entries.get(action="confirmed")
    assert entry.before == {"status": "held", "version": 1}
    assert entry.after == {"status": "confirmed", "version": 2}


def test_confirm_after_the_hold_lapsed_is_refused_and_changes_nothing(hotel, clock) -> None:
    booking = hold(hotel)
    clock.advance(minutes=16)
    with pytest.raises(HoldExpired) as exc:
        booking_confirm(booking_id=booking.pk, actor=guest_of(booking))
    assert exc.value.code == "hold_expired"
    booking.refresh_from_db()
    assert (booking.status, booking.version) == (Status.HELD, 1)
    assert counts(hotel.room_type_id) == {}  # a lapsed hold already reads as free
    assert events(booking.reference) == ["booking.held"]


def test_book_directly_sells_in_one_pass(hotel) -> None:
    booking = booking_book(request=stay(hotel, nights=2, channel="staff"), actor=STAFF)
    assert (booking.status, booking.channel, booking.version) == (Status.CONFIRMED, "staff", 1)
    assert (booking.expires_at, booking.confirmed_at is not None) == (None, True)
    assert counts(hotel.room_type_id) == {NIGHT1: (1, 0), NIGHT2: (1, 0)}
    assert events(booking.reference) == ["booking.confirmed"]
    assert audit(booking) == [("confirmed", "staff", STAFF.id)]


def test_book_directly_sold_out_leaves_no_booking(hotel) -> None:
    hold(hotel, rooms=hotel.rooms(2))
    with pytest.raises(NotAvailable):
        booking_book(request=stay(hotel, nights=2, channel="staff"), actor=STAFF)
    assert Booking.objects.count() == 1


def test_sweeper_expires_lapsed_holds_only(hotel, clock) -> None:
    clock.set(timezone.now())
    lapsed = hold(hotel)
    clock.advance(minutes=10)
    running = hold(hotel)
    clock.advance(minutes=6)
    assert bookings_expire_due() == 1
    lapsed.refresh_from_db()
    running.refresh_from_db()
    assert (lapsed.status, lapsed.expires_at, lapsed.version) == (Status.EXPIRED, None, 2)
    assert running.status == Status.HELD
    assert counts(hotel.room_type_id) == {NIGHT1: (0, 1), NIGHT2: (0, 1)}
    assert events(lapsed.reference) == ["booking.held", "booking.expired"]
    assert audit(lapsed)[-1] == ("expired", "system", "clock")
    assert bookings_expire_due() == 0  # idempotent


def test_expiring_a_running_hold_is_refused(hotel) -> None:
    booking = hold(hotel)
    with pytest.raises(Exception) as exc:  # noqa: PT011 - the code is what matters
        booking_expire(booking_id=booking.pk)
    assert exc.value.code == "invalid_transition"
    booking.refresh_from_db()
    assert booking.status == Status.HELD
    assert counts(hotel.room_type_id) == {NIGHT1: (0, 1), NIGHT2: (0, 1)}
    assert events(booking.reference) == ["booking.held"]


def test_unknown_channel_is_refused(hotel) -> None:
    with pytest.raises(Exception) as exc:  # noqa: PT011
        booking_hold(request=stay(hotel, nights=2, channel="fax"), actor=hotel.guest)
    assert exc.value.code == "invalid"
    assert Booking.objects.count() == 0


def test_rooms_of_two_types_in_one_booking_move_together(hotel) -> None:
    rooms = [*hotel.rooms(), *hotel.rooms(room_type_id=hotel.other_room_type_id, adults=1)]
    booking = booking_book(request=stay(hotel, nights=1, rooms=rooms, channel="partner"), actor=hotel.guest)
    assert (booking.total, booking.adults, booking.rooms.count()) == (Decimal("300.00"), 3, 2)
    assert counts(hotel.room_type_id) == {NIGHT1: (1, 0)}
    assert counts(hotel.other_room_type_id) == {NIGHT1: (1, 0)}
    booking_cancel(booking_id=booking.pk, actor=guest_of(booking))
    assert counts(hotel.room_type_id) == {}
    assert counts(hotel.other_room_type_id) == {}


@pytest.mark.parametrize("service", [booking_hold, booking_book])
@pytest.mark.parametrize(
    ("who", "code"),
    [("unknown", "customer_not_found"), ("erased", "customer_erased")],
)
def test_a_booking_must_name_a_live_customer(hotel, service, who: str, code: str) -> None:
    customer_id = make_guest(erased_at=timezone.now()) if who == "erased" else hotel.guest_id + 1000
    with pytest.raises(NotFound) as exc:
        service(request=stay(hotel, customer_id=customer_id, nights=2), actor=hotel.guest)
    assert (exc.value.code, exc.value.http_status) == (code, 404)
    assert (Booking.objects.count(), AuditEntry.objects.count(), OutboxEvent.objects.count()) == (0, 0, 0)
    assert counts(hotel.room_type_id) == {}


@pytest.mark.parametrize("service", [booking_hold, booking_book])
def test_a_profile_of_someone_else_does_not_vouch_for_the_booked_guest(hotel, service) -> None:
    """``guest`` spares re-reading the booked profile only when it IS that profile."""
    live = customers.get_customer(hotel.guest_id)
    erased = make_guest(erased_at=timezone.now())
    with pytest.raises(NotFound) as exc:
        service(request=stay(hotel, customer_id=erased, nights=2), actor=hotel.guest, guest=live)
    assert exc.value.code == "customer_erased"
    assert (Booking.objects.count(), OutboxEvent.objects.count()) == (0, 0)
    assert counts(hotel.room_type_id) == {}


@pytest.mark.parametrize("service", [booking_hold, booking_book])
def test_the_callers_fresh_profile_spares_reading_it_again(hotel, service) -> None:
    live = customers.get_customer(hotel.guest_id)
    with CaptureQueriesContext(connection) as without:
        service(request=stay(hotel, nights=2), actor=hotel.guest)
    with CaptureQueriesContext(connection) as spared:
        booking = service(request=stay(hotel, nights=2), actor=hotel.guest, guest=live)
    assert len(spared.captured_queries) == len(without.captured_queries) - 1
    assert not any('"customers_customer"' in q["sql"] for q in spared.captured_queries)
    assert Booking.objects.get(pk=booking.pk).customer_id == hotel.guest_id


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"rooms": ()}, "rooms_required", "rooms"),
        ({"check_out": ARRIVAL}, "check_out_not_after_check_in", "check_out"),
        ({"check_out": ARRIVAL - timedelta(days=1)}, "check_out_not_after_check_in", "check_out"),
    ],
)
def test_each_stay_rule_has_one_code_and_nothing_is_taken(hotel, change: dict, code: str, field: str) -> None:
    """Dates are availability's rule (the code search and quote give); a room is the booking's own."""
    with pytest.raises(ValidationFailed) as exc:
        booking_hold(request=dataclasses.replace(stay(hotel), **change), actor=hotel.guest)
    assert (exc.value.code, exc.value.extra["field"]) == (code, field)
    assert Booking.objects.count() == 0
    assert counts(hotel.room_type_id) == {}
    assert OutboxEvent.objects.count() == 0
