"""Staff book a walk-in through the admin: price first, then book; the guest gets the same
confirmation email as a web booking (a real SMTP server). Sold out is a form error, nothing written."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from apps.bookings.interface import book
from apps.bookings.models import Booking
from apps.bookings.tests.factories import Hotel
from apps.customers.models import Customer
from apps.front_desk.tests.conftest import ARRIVAL, client_for, guest, make_staff, stay
from booking_platform.notifications.testing import SmtpSink, smtp_delivery

URL = reverse("admin:front_desk_new_booking")


def form(hotel: Hotel, **changes: object) -> dict:
    data = {
        "room_type": hotel.room_type_id,
        "rate_plan": hotel.rate_plan_id,
        "check_in": ARRIVAL.isoformat(),
        "check_out": (ARRIVAL + timedelta(days=2)).isoformat(),
        "rooms": 1,
        "adults": 2,
        "children": 0,
        "email": "walk.in@guest.example",
        "first_name": "Wanda",
        "last_name": "Walker",
        "phone": "",
        "country": "DE",
        "language": "en",
        "special_requests": "Late arrival",
    }
    return data | changes


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpSink]:
    with smtp_delivery(settings) as sink:
        yield sink


@pytest.mark.django_db(transaction=True)
def test_staff_book_a_walk_in_and_the_guest_is_emailed(hotel, smtp: SmtpSink) -> None:
    desk = client_for(make_staff("desk", "Front desk", hotel.property_id))

    priced = desk.post(URL, form(hotel, price="1"))
    assert priced.status_code == 200
    assert priced.context["quote"].total == 200  # 2 nights x 100.00, no tax at the test hotel
    assert not Booking.objects.exists()  # pricing wrote nothing

    booked = desk.post(URL, form(hotel, book="1"))

    booking = Booking.objects.get()
    assert booked["Location"] == reverse("admin:bookings_booking_change", args=[booking.pk])
    assert (booking.status, booking.channel, booking.total, booking.special_requests) == (
        "confirmed",
        "staff",
        200,
        "Late arrival",
    )
    assert Customer.objects.get(pk=booking.customer_id).last_name == "Walker"
    [mail] = smtp.to("walk.in@guest.example")
    assert booking.reference in mail["Subject"]


@pytest.mark.django_db
def test_a_sold_out_stay_is_a_form_error_and_writes_nothing(hotel) -> None:
    book(request=stay(hotel, rooms=2), actor=guest(hotel))  # both Doubles sold on those nights
    desk = client_for(make_staff("desk", "Front desk", hotel.property_id))
    customers_before = Customer.objects.count()

    response = desk.post(URL, form(hotel, book="1"))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["__all__"]  # availability refuses the stay as a whole
    assert Booking.objects.count() == 1
    assert Customer.objects.count() == customers_before


@pytest.mark.django_db
def test_only_users_who_may_book_see_the_form(hotel) -> None:
    reader = client_for(make_staff("reader", "Read-only", hotel.property_id))
    assert reader.get(URL).status_code == 403
    assert reader.post(URL, form(hotel, book="1")).status_code == 403
    assert not Booking.objects.exists()
