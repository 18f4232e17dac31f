from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from apps.bookings.models import Status
from apps.bookings.services.hold import booking_book
from apps.bookings.tests.helpers import audit, stay

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("boss", "boss@example.com", "pw-not-used")
    client.force_login(user)
    client.user = user
    return client


def booked(hotel):
    return booking_book(request=stay(hotel, nights=2), actor=hotel.guest)


def test_change_page_shows_the_audit_trail_read_only(admin_client, hotel) -> None:
    booking = booked(hotel)
    page = admin_client.get(reverse("admin:bookings_booking_change", args=[booking.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert booking.reference in html
    assert "Audit trail" in html
    assert html.count("confirmed") >= 2
    assert "<textarea" not in html  # nothing editable in the trail
    assert 'name="audit_entries-0-action"' not in html


def test_cancel_action_runs_the_service_as_the_staff_user(admin_client, hotel) -> None:
    booking = booked(hotel)
    response = admin_client.post(
        reverse("admin:bookings_booking_changelist"),
        {"action": "action_cancel", "_selected_action": [booking.pk]},
        follow=True,
    )
    assert "1 booking(s) cancelled." in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    assert audit(booking)[-1] == ("cancelled", "staff", str(admin_client.user.pk))


def test_refused_action_is_reported_and_changes_nothing(admin_client, hotel) -> None:
    booking = booked(hotel)
    response = admin_client.post(
        reverse("admin:bookings_booking_changelist"),
        {"action": "action_check_out", "_selected_action": [booking.pk]},
        follow=True,
    )
    assert f"{booking.reference}: A confirmed booking cannot be checked out." in response.content.decode()
    booking.refresh_from_db()
    assert (booking.status, booking.version) == (Status.CONFIRMED, 1)


def test_bookings_cannot_be_added_or_deleted_in_the_admin(admin_client, hotel) -> None:
    booking = booked(hotel)
    assert admin_client.get(reverse("admin:bookings_booking_add")).status_code == 403
    assert admin_client.get(reverse("admin:bookings_booking_delete", args=[booking.pk])).status_code == 403
