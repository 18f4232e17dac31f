"""Bookings test helpers: counters and trails as plain values, so tests assert exact outcomes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.utils import timezone

from apps.availability.interface import inventory_counts
from apps.bookings.actors import Actor
from apps.bookings.models import AuditEntry, Booking
from apps.bookings.services.hold import StayRequest
from apps.bookings.services.pricing import RoomRequest
from apps.bookings.tests.factories import Hotel
from booking_platform.events.models import OutboxEvent

ARRIVAL = date(2030, 3, 10)
STAFF = Actor.staff(1)


def stay(
    hotel: Hotel,
    *,
    check_in: date = ARRIVAL,
    nights: int = 2,
    rooms: Sequence[RoomRequest] | None = None,
    channel: str = "web",
    customer_id: int | None = None,
    language: str = "en",
    special_requests: str = "",
) -> StayRequest:
    """A stay at the test hotel: its guest (or customer_id), `nights` from check_in, one Double unless rooms."""
    return StayRequest(
        property_id=hotel.property_id,
        customer_id=hotel.guest_id if customer_id is None else customer_id,
        check_in=check_in,
        check_out=check_in + timedelta(days=nights),
        rooms=rooms or hotel.rooms(),
        channel=channel,
        language=language,
        special_requests=special_requests,
    )


def guest_of(booking: Booking) -> Actor:
    """The booking's own guest acting on it (a real customer id, as the services require)."""
    return Actor.guest(booking.customer_id)


class Clock:
    """Moves django.utils.timezone.now for every context at once (hold expiry, property dates)."""

    def __init__(self) -> None:
        self.now: datetime | None = None

    def set(self, moment: datetime) -> None:
        self.now = moment

    def advance(self, **delta: float) -> None:
        self.now = (self.now or timezone.now()) + timedelta(**delta)


def counts(room_type_id: int, start: date = ARRIVAL - timedelta(days=2), nights: int = 14) -> dict[date, tuple]:
    """(sold, held) per night, only nights with something on them."""
    found = inventory_counts(start=start, end=start + timedelta(days=nights))
    return {night: pair for (rt, night), pair in sorted(found.items()) if rt == room_type_id and pair != (0, 0)}


def events(reference: str) -> list[str]:
    return list(
        OutboxEvent.objects.filter(aggregate_type="booking", aggregate_id=reference)
        .order_by("id")
        .values_list("event_type", flat=True)
    )


def audit(booking: Booking) -> list[tuple[str, str, str]]:
    return list(
        AuditEntry.objects.filter(booking=booking).order_by("id").values_list("action", "actor_kind", "actor_id")
    )
