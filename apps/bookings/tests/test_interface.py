from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from apps.bookings import interface
from apps.bookings.tests.factories import make_guest
from apps.bookings.tests.helpers import ARRIVAL, guest_of, stay

pytestmark = pytest.mark.django_db


def test_hold_confirm_and_find_by_what_a_guest_types(hotel) -> None:
    request = stay(hotel, nights=2)
    assert isinstance(request, interface.StayRequest)
    assert (request.check_out, request.rooms) == (
        ARRIVAL + timedelta(days=2),
        tuple(hotel.rooms()),
    )  # list in, tuple kept
    held = interface.hold_booking(request=request, actor=hotel.guest)
    assert (held.status, held.version, held.total) == ("held", 1, Decimal("200.00"))
    confirmed = interface.confirm_booking(booking_id=held.id, actor=guest_of(held))
    assert (confirmed.status, confirmed.version, confirmed.expires_at) == ("confirmed", 2, None)
    typed = confirmed.reference.lower().replace("-", " ")
    found = interface.find_booking(typed)
    assert found == interface.get_booking(held.id)
    assert found.rooms[0].nightly == ((ARRIVAL, Decimal("100.00")), (ARRIVAL + timedelta(days=1), Decimal("100.00")))
    cancelled = interface.cancel_booking(booking_id=held.id, actor=guest_of(held))
    assert cancelled.status == "cancelled"


def test_unknown_reference_is_not_found(hotel) -> None:
    with pytest.raises(interface.BookingNotFound) as exc:
        interface.find_booking("AAA-AAA-AAAA")
    assert exc.value.code == "booking_not_found"
    with pytest.raises(interface.BookingNotFound):
        interface.get_booking(999)


def test_last_activity_per_customer(hotel) -> None:
    interface.book(request=stay(hotel, nights=2), actor=hotel.guest)
    never_stayed = make_guest()
    assert interface.customers_last_activity(customer_ids=[hotel.guest_id, never_stayed]) == {
        hotel.guest_id: date(2030, 3, 12)
    }
