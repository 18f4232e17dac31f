"""Cancellation terms of a booking, read from the policy snapshot stored on it.

The rules themselves (deadline in real hours before the property-local check-in time, fee kinds,
wording) belong to availability's CancellationPolicy, so a guest reads the same terms at quote
time, in the confirmation and at cancellation.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import translation

from apps.availability import interface as availability
from apps.bookings.models import Booking, Status

ZERO = Decimal("0.00")


def _policy(booking: Booking) -> availability.CancellationPolicy:
    return availability.CancellationPolicy.from_dict(booking.cancellation_policy)


def free_until(booking: Booking, *, prop: Any) -> datetime | None:
    """The last moment cancelling is free (aware, hotel time), or None if it never is."""
    return _policy(booking).free_until(
        check_in=booking.check_in, check_in_time=prop.check_in_time, timezone=prop.timezone
    )


def cancellation_fee(booking: Booking, *, prop: Any, now: datetime) -> Decimal:
    """The fee for cancelling at `now`: none for an unconfirmed hold; free up to and including the deadline."""
    if booking.status == Status.HELD:
        return ZERO
    policy = _policy(booking)
    deadline = free_until(booking, prop=prop)
    free = deadline is not None and now <= deadline
    fee = sum(
        (
            policy.fee(nightly=[Decimal(n["price"]) for n in room.nightly], units=1, free=free)
            for room in booking.rooms.all()
        ),
        ZERO,
    )
    return min(fee, booking.total)


def describe(booking: Booking, *, prop: Any) -> str:
    """The terms in English: this text goes into events and audit, read by systems, not guests."""
    with translation.override("en"):
        return _policy(booking).describe(
            check_in=booking.check_in, check_in_time=prop.check_in_time, timezone=prop.timezone
        )
