"""Event payloads are for systems: their policy words stay English whatever the guest's browser says."""

from __future__ import annotations

import pytest
from django.utils import translation

from apps.bookings.services.hold import booking_hold
from apps.bookings.tests.helpers import stay
from booking_platform.events.models import OutboxEvent

pytestmark = pytest.mark.django_db


def test_policy_text_in_the_event_is_english_while_german_is_active(hotel) -> None:
    with translation.override("de"):
        booking = booking_hold(request=stay(hotel, nights=2, language="de"), actor=hotel.guest)
    payload = OutboxEvent.objects.get(aggregate_id=booking.reference, event_type="booking.held").payload
    assert payload["language"] == "de"
    assert payload["policy_text"].startswith("Free cancellation until ")
