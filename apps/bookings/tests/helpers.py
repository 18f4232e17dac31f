"""Bookings test helpers: counters and trails as plain values, so tests assert exact outcomes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from apps.availability.interface import inventory_counts
from apps.bookings.actors import Actor
from apps.bookings.models import AuditEntry, Booking
from booking_platform.events.models import OutboxEvent

ARRIVAL = date(2030, 3, 10)
STAFF = Actor.staff(1)


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
