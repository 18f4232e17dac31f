"""Details, hold, confirm: exact outcomes, and on every failure path nothing held or booked."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client

from apps.availability.interface import inventory_counts
from apps.bookings.interface import find_booking, manage_token
from apps.bookings.tests.factories import Hotel
from apps.guest_site.tests.conftest import GUEST, book_rooms, form_token, hold, offer

pytestmark = pytest.mark.django_db(transaction=True)


def counts(hotel: Hotel, night: date) -> tuple[int, int]:
    """(sold, held) of the hotel's Double on that night."""
    return inventory_counts(start=night, end=night + timedelta(days=1)).get((hotel.room_type_id, night), (0, 0))


def test_the_details_page_sums_up_the_stay_and_payment(client: Client, hotel: Hotel, today: date) -> None:
    page = client.get("/book/", offer(hotel, today + timedelta(days=3)))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<strong>200.00 EUR</strong>" in html
    assert "Pay at the hotel when you arrive. No card needed now." in html
    assert 'name="form_token"' in html
    assert 'name="csrfmiddlewaretoken"' in html


@pytest.mark.parametrize(
    ("change", "status"),
    [({"room_type": "999999"}, 400), ({"rate_plan": "x"}, 400), ({"check_out": "2000-01-01"}, 400)],
)
def test_a_broken_offer_link_is_a_clear_4xx(client: Client, hotel: Hotel, today: date, change, status) -> None:
    page = client.get("/book/", {**offer(hotel, today + timedelta(days=3)), **change})
    assert page.status_code == status
    assert "This offer is not available" in page.content.decode()


def test_hold_then_confirm_books_once_and_sends_the_manage_link(client: Client, hotel: Hotel, today: date) -> None:
    night = today + timedelta(days=3)
    reference = hold(client, offer(hotel, night))
    assert counts(hotel, night) == (0, 1)
    page = client.get(f"/bookings/{reference}/")
    assert page.status_code == 200
    assert "We are holding this room for you until" in page.content.decode()
    assert 'data-countdown="' in page.content.decode()

    confirmed = client.post(f"/bookings/{reference}/confirm/")
    assert confirmed["Location"] == f"/bookings/{reference}/confirmed/"
    again = client.post(f"/bookings/{reference}/confirm/")  # double click / back button
    assert again["Location"] == f"/bookings/{reference}/confirmed/"
    assert counts(hotel, night) == (1, 0)
    page = client.get(f"/bookings/{reference}/confirmed/")
    assert reference in page.content.decode()
    booking = find_booking(reference)
    assert (booking.status, booking.total, booking.special_requests) == (
        "confirmed",
        booking.total,
        "Quiet room, please.",
    )
    [guest_mail] = [m for m in mail.outbox if m.to == [GUEST["email"]]]
    token = manage_token(booking_id=booking.id, reference=reference)
    assert f"http://127.0.0.1:8000/bookings/{reference}/?key={token}" in guest_mail.body


def test_submitting_the_details_twice_holds_once(client: Client, hotel: Hotel, today: date) -> None:
    night = today + timedelta(days=3)
    params = offer(hotel, night)
    token = form_token(client, params)
    first = client.post("/book/", {**params, **GUEST, "form_token": token})
    second = client.post("/book/", {**params, **GUEST, "form_token": token})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert counts(hotel, night) == (0, 1)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"first_name": ""}, "first_name", "This field is required."),
        ({"country": "XX"}, "country", "Select a valid choice. XX is not one of the available choices."),
        ({"phone": "12"}, "phone", "Enter a valid phone number with country code."),
    ],
)
def test_bad_guest_details_are_field_errors_and_hold_nothing(
    client: Client, hotel: Hotel, today: date, change, field, message
) -> None:
    night = today + timedelta(days=3)
    params = offer(hotel, night)
    response = client.post("/book/", {**params, **GUEST, **change, "form_token": form_token(client, params)})
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message]}
    assert counts(hotel, night) == (0, 0)


def test_a_room_taken_meanwhile_says_so_and_offers_the_search(client: Client, hotel: Hotel, today: date) -> None:
    night = today + timedelta(days=3)
    params = offer(hotel, night)
    token = form_token(client, params)
    book_rooms(hotel, night, nights=2, count=2)
    response = client.post("/book/", {**params, **GUEST, "form_token": token})
    html = response.content.decode()
    assert response.status_code == 409
    assert "This offer is not available" in html or "just taken" in html
    assert f"where=p{hotel.property_id}" in html
    assert counts(hotel, night) == (2, 0)


def test_a_room_taken_between_details_and_submit_is_a_conflict(client: Client, hotel: Hotel, today: date) -> None:
    """The quote still passes (one room left) but the hold of two rooms cannot: nothing is held."""
    night = today + timedelta(days=3)
    params = offer(hotel, night, rooms=2)
    token = form_token(client, params)
    book_rooms(hotel, night, nights=1, count=1)
    response = client.post("/book/", {**params, **GUEST, "form_token": token})
    assert response.status_code == 409
    assert counts(hotel, night) == (1, 0)


def test_an_expired_hold_cannot_be_confirmed(client: Client, hotel: Hotel, today: date, settings) -> None:
    settings.BOOKING_HOLD_MINUTES = 1 / 60  # a one-second hold
    night = today + timedelta(days=3)
    reference = hold(client, offer(hotel, night))
    time.sleep(1.1)
    page = client.get(f"/bookings/{reference}/")
    assert page.status_code == 410
    assert "Your hold has lapsed" in page.content.decode()
    response = client.post(f"/bookings/{reference}/confirm/")
    assert response.status_code == 410
    assert find_booking(reference).status in ("held", "expired")
    assert counts(hotel, night) == (0, 0)


def test_another_browser_cannot_see_or_confirm_a_hold(client: Client, hotel: Hotel, today: date) -> None:
    night = today + timedelta(days=3)
    reference = hold(client, offer(hotel, night))
    stranger = Client()
    page = stranger.get(f"/bookings/{reference}/")
    assert page.status_code == 200
    assert "Find your booking" in page.content.decode()
    assert GUEST["email"] not in page.content.decode()
    stranger.post(f"/bookings/{reference}/confirm/")
    assert find_booking(reference).status == "held"
    assert stranger.get(f"/bookings/{reference}/confirmed/").status_code == 200
    assert "Your booking is confirmed" not in stranger.get(f"/bookings/{reference}/confirmed/").content.decode()


def test_forms_refuse_posts_without_csrf(hotel: Hotel, today: date) -> None:
    browser = Client(enforce_csrf_checks=True)
    params = offer(hotel, today + timedelta(days=3))
    token = re.search(r'name="form_token" value="([^"]+)"', browser.get("/book/", params).content.decode()).group(1)
    response = browser.post("/book/", {**params, **GUEST, "form_token": token})
    assert response.status_code == 403
    assert counts(hotel, today + timedelta(days=3)) == (0, 0)


def test_what_the_guest_typed_survives_a_room_taken(client: Client, hotel: Hotel, today: date) -> None:
    night = today + timedelta(days=3)
    params = offer(hotel, night)
    token = form_token(client, params)
    book_rooms(hotel, night, nights=2, count=2)
    assert client.post("/book/", {**params, **GUEST, "form_token": token}).status_code == 409
    other = offer(hotel, night, nights=2) | {"room_type": hotel.other_room_type_id}
    page = client.get("/book/", other)
    assert page.context["form"].initial["email"] == GUEST["email"]
    assert 'value="Okafor"' in page.content.decode()


def test_booking_pages_make_a_constant_number_of_queries(
    client: Client, hotel: Hotel, today: date, django_assert_num_queries
) -> None:
    one_night, four_nights = offer(hotel, today + timedelta(days=3), 1), offer(hotel, today + timedelta(days=3), 4)
    client.get("/book/", one_night)  # the session exists from here on
    with django_assert_num_queries(7):  # session, the quote's budget, the hotel
        client.get("/book/", one_night)
    with django_assert_num_queries(7):
        client.get("/book/", four_nights)
    reference = hold(client, four_nights)
    with django_assert_num_queries(5):
        assert client.get(f"/bookings/{reference}/").status_code == 200
    client.post(f"/bookings/{reference}/confirm/")
    with django_assert_num_queries(5):
        assert client.get(f"/bookings/{reference}/confirmed/").status_code == 200


def test_a_successful_submit_is_not_quoted_first(client: Client, hotel: Hotel, today: date, monkeypatch) -> None:
    """The hold prices the stay itself; the details page's quote is only redone when nothing was held."""
    from apps.availability import interface as availability

    params = offer(hotel, today + timedelta(days=3))
    token = form_token(client, params)

    def no_quote(**kwargs: object) -> None:
        raise AssertionError("quoted before holding")

    monkeypatch.setattr(availability, "quote", no_quote)
    response = client.post("/book/", {**params, **GUEST, "form_token": token})
    assert response.status_code == 302
    assert counts(hotel, today + timedelta(days=3)) == (0, 1)
