"""Manage my booking: who gets in (reference + email, or the secret link), throttled probing, change, cancel."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client

from apps.availability.interface import inventory_counts
from apps.bookings.interface import find_booking, manage_token
from apps.bookings.tests.factories import Hotel
from apps.guest_site.tests.conftest import GUEST, hold, offer

pytestmark = pytest.mark.django_db(transaction=True)
NOT_FOUND = "We could not find a booking with these details. Check the reference and the email."


@pytest.fixture
def booked(client: Client, hotel: Hotel, today: date) -> str:
    reference = hold(client, offer(hotel, today + timedelta(days=5)))
    assert client.post(f"/bookings/{reference}/confirm/").status_code == 302
    return reference


def lookup(client: Client, reference: str, email: str):
    return client.post("/bookings/", {"reference": reference, "email": email})


def test_reference_and_email_open_the_booking(booked: str) -> None:
    browser = Client()
    response = lookup(browser, booked.lower().replace("-", " "), "  MIRA@guest.example ")
    assert response.status_code == 302
    assert response["Location"] == f"/bookings/{booked}/"
    page = browser.get(response["Location"])
    assert page.status_code == 200
    assert "Confirmed" in page.content.decode()
    assert "Quiet room, please." in page.content.decode()


def test_wrong_email_and_wrong_reference_get_one_answer(booked: str) -> None:
    wrong_email = lookup(Client(), booked, "someone@else.example")
    wrong_reference = lookup(Client(), "ZZZ-ZZZ-ZZZZ", GUEST["email"])
    assert wrong_email.status_code == wrong_reference.status_code == 404
    assert wrong_email.context["error"] == wrong_reference.context["error"] == NOT_FOUND
    assert "someone@else.example" not in wrong_email.content.decode()


def test_repeated_tries_from_one_client_are_throttled(booked: str, settings) -> None:
    browser = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(settings.GUEST_LOOKUP_ATTEMPTS):
        assert lookup(browser, f"ZZZ-ZZZ-ZZZ{'23456'[n]}", GUEST["email"]).status_code == 404
    refused = lookup(browser, booked, GUEST["email"])  # even the right details: the client waits
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert lookup(Client(REMOTE_ADDR="198.51.100.8"), booked, GUEST["email"]).status_code == 302


def test_the_email_link_opens_the_booking_and_leaves_the_address_bar(booked: str) -> None:
    booking = find_booking(booked)
    browser = Client()
    response = browser.get(f"/bookings/{booked}/?key={manage_token(booking_id=booking.id, reference=booked)}")
    assert response["Location"] == f"/bookings/{booked}/"
    assert browser.get(response["Location"]).context["booking"].id == booking.id


def test_a_wrong_secret_gets_the_lookup_answer(booked: str) -> None:
    browser = Client()
    response = browser.get(f"/bookings/{booked}/?key={'0' * 32}")
    assert response.status_code == 404
    assert response.context["error"] == NOT_FOUND
    assert "Find your booking" in browser.get(f"/bookings/{booked}/").content.decode()


def test_the_reference_alone_shows_nothing(booked: str) -> None:
    page = Client().get(f"/bookings/{booked}/")
    html = page.content.decode()
    assert "Find your booking" in html
    assert GUEST["email"] not in html
    assert "Quiet room" not in html
    assert Client().post(f"/bookings/{booked}/cancel/").status_code == 200
    assert find_booking(booked).status == "confirmed"


def test_cancel_shows_the_fee_first_then_cancels(client: Client, booked: str, hotel: Hotel, today: date) -> None:
    night = today + timedelta(days=5)
    page = client.get(f"/bookings/{booked}/cancel/")
    assert "Cancelling now is free of charge." in page.content.decode()
    assert inventory_counts(start=night, end=night + timedelta(days=1))[(hotel.room_type_id, night)] == (1, 0)
    response = client.post(f"/bookings/{booked}/cancel/")
    assert response["Location"] == f"/bookings/{booked}/"
    assert "Your booking is cancelled. Cancellation fee: 0.00 EUR." in client.get(response["Location"]).content.decode()
    assert find_booking(booked).status == "cancelled"
    assert inventory_counts(start=night, end=night + timedelta(days=1))[(hotel.room_type_id, night)] == (0, 0)


def test_change_dates_reprices(client: Client, booked: str, today: date) -> None:
    new_in = today + timedelta(days=6)
    response = client.post(
        f"/bookings/{booked}/change/",
        {
            "check_in": new_in.isoformat(),
            "check_out": (new_in + timedelta(days=3)).isoformat(),
            "adults": 2,
            "children": 0,
            "version": find_booking(booked).version,
        },
    )
    assert response["Location"] == f"/bookings/{booked}/"
    assert "Your booking is changed. New total: 300.00 EUR." in client.get(response["Location"]).content.decode()
    booking = find_booking(booked)
    assert (booking.check_in, booking.check_out, booking.total) == (new_in, new_in + timedelta(days=3), 300)


def test_a_change_that_does_not_fit_leaves_the_booking_alone(client: Client, booked: str, today: date) -> None:
    before = find_booking(booked)
    new_in = today + timedelta(days=12)  # the calendar ends after 14 nights
    response = client.post(
        f"/bookings/{booked}/change/",
        {
            "check_in": new_in.isoformat(),
            "check_out": (new_in + timedelta(days=4)).isoformat(),
            "adults": 2,
            "children": 0,
            "version": find_booking(booked).version,
        },
    )
    assert response.status_code == 409
    [error] = response.context["form"].non_field_errors()
    assert error.startswith("Not possible for these dates and guests:")
    assert error.endswith("Your booking is unchanged.")
    assert find_booking(booked) == before


def test_a_change_against_an_old_version_is_refused(client: Client, booked: str, today: date) -> None:
    """The booking changed after the guest opened the form (another tab, the front desk): nothing happens."""
    before = find_booking(booked)
    new_in = today + timedelta(days=6)
    response = client.post(
        f"/bookings/{booked}/change/",
        {"check_in": new_in.isoformat(), "check_out": (new_in + timedelta(days=1)).isoformat(), "adults": 2,
         "children": 0, "version": before.version - 1},
    )  # fmt: skip
    assert response.status_code == 409
    assert list(response.context["form"].non_field_errors()) == [
        "Not possible for these dates and guests: This booking was changed meanwhile; please look at it again. "
        "Your booking is unchanged."
    ]
    assert find_booking(booked) == before


def test_a_change_with_bad_dates_is_a_field_error(client: Client, booked: str, today: date) -> None:
    before = find_booking(booked)
    response = client.post(
        f"/bookings/{booked}/change/",
        {
            "check_in": today.isoformat(),
            "check_out": today.isoformat(),
            "adults": 2,
            "children": 0,
            "version": find_booking(booked).version,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"check_out": ["Check-out must be after check-in."]}
    assert find_booking(booked) == before


def test_manage_page_queries_are_constant(client: Client, booked: str, django_assert_num_queries) -> None:
    client.get(f"/bookings/{booked}/")
    with django_assert_num_queries(5):
        assert client.get(f"/bookings/{booked}/").status_code == 200
