"""Shared steps of the lifecycle services: loading under lock, refusing, property-local time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from apps.availability import interface as availability
from apps.bookings.actors import Actor
from apps.bookings.errors import BookingNotFound, InvalidTransition
from apps.bookings.models import ActorKind, Booking, BookingRoom, remember_rooms
from booking_platform.db.locking import lock_one


def lock_booking(booking_id: int, *, actor: Actor | None = None, read_rooms: bool = False) -> Booking:
    """Lock the booking row first; inventory rows are locked after it, never before.

    ``read_rooms``: a move that leaves the lines as they are reads them once here, for the audit
    snapshot, the fee and the event alike (a move that changes lines must not: it would read a stale copy).
    """
    booking = lock_one(Booking.objects.filter(pk=booking_id))
    if booking is None or not owns(actor, booking):
        raise BookingNotFound("No such booking.")
    if read_rooms:
        remember_rooms(booking, list(BookingRoom.objects.filter(booking_id=booking.pk)))
    return booking


def owns(actor: Actor | None, booking: Booking) -> bool:
    """A partner acts only on the bookings it made; to it, any other booking does not exist."""
    if actor is None or actor.kind != ActorKind.PARTNER:
        return True
    return booking.partner_id is not None and str(booking.partner_id) == actor.id


def require_status(booking: Booking, *, action: str, allowed: tuple[str, ...]) -> None:
    if booking.status not in allowed:
        raise InvalidTransition(
            f"A {booking.get_status_display().lower()} booking cannot be {action}.",
            extra={"reference": booking.reference, "status": booking.status, "action": action},
        )


def hold_expiry(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(minutes=settings.BOOKING_HOLD_MINUTES)


def property_today(prop: availability.PropertyInfo, now: datetime | None = None) -> date:
    """The calendar date at the hotel, which is what arrival and no-show rules are about."""
    return (now or timezone.now()).astimezone(ZoneInfo(prop.timezone)).date()
