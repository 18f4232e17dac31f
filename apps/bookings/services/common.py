"""Shared steps of the lifecycle services: loading under lock, refusing, property-local time."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import OperationalError, connection
from django.utils import timezone

from apps.availability import interface as availability
from apps.bookings.errors import BookingNotFound, InvalidTransition
from apps.bookings.models import Booking
from booking_platform.db.locking import lock_one

P = ParamSpec("P")
R = TypeVar("R")


def lock_booking(booking_id: int) -> Booking:
    """Lock the booking row first; inventory rows are locked after it, never before."""
    booking = lock_one(Booking.objects.filter(pk=booking_id))
    if booking is None:
        raise BookingNotFound("No such booking.")
    return booking


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


# PostgreSQL: deadlock_detected, serialization_failure. Oracle: ORA-00060 deadlock.
RETRYABLE = ("40P01", "40001", "ORA-00060")


def retry_on_deadlock(service: Callable[P, R]) -> Callable[P, R]:
    """Re-run a service whose transaction lost a deadlock (it changed nothing); only when it owns the transaction.

    Modify locks two sets of inventory rows in two steps (take new, release old), so two modifications
    crossing each other's nights can deadlock; the database aborts one and we simply run it again.
    """

    @functools.wraps(service)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        attempts = 1 if connection.in_atomic_block else 3
        for attempt in range(1, attempts + 1):
            try:
                return service(*args, **kwargs)
            except OperationalError as exc:
                cause = exc.__cause__
                code = getattr(cause, "sqlstate", None) or str(cause)
                if attempt == attempts or not any(marker in (code or "") for marker in RETRYABLE):
                    raise
        raise AssertionError("unreachable")

    return wrapper
