"""Confirm, cancel and expire: the moves that settle a hold or give its rooms back."""

from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal

from django.db import DatabaseError, transaction
from django.utils import timezone

from apps.availability import interface as availability
from apps.bookings import policies
from apps.bookings.actors import SYSTEM, Actor
from apps.bookings.errors import BookingNotFound, InvalidTransition
from apps.bookings.models import Booking, Status
from apps.bookings.records import save_change, snapshot
from apps.bookings.services.common import lock_booking, owns, require_status
from booking_platform.db.retry import retry_on_deadlock
from booking_platform.errors import ApplicationError
from booking_platform.validation import clean_text

CANCEL_REASON_MAX = 500

logger = logging.getLogger(__name__)


@retry_on_deadlock
def booking_confirm(*, booking_id: int, actor: Actor) -> Booking:
    """Held units become sold at the locked price; confirming again returns the same booking."""
    with transaction.atomic():
        booking = lock_booking(booking_id, actor=actor, read_rooms=True)
        if booking.status == Status.CONFIRMED:
            return booking
        if booking.status == Status.EXPIRED:
            # Lost to the sweeper: the same answer as a moment earlier, one code for "your hold is gone".
            raise availability.HoldExpired("The hold has expired; please search again.")
        require_status(booking, action="confirmed", allowed=(Status.HELD,))
        if booking.expires_at is None or booking.expires_at <= timezone.now():
            raise availability.HoldExpired("The hold has expired; please search again.")
        availability.confirm_hold(key=booking.allocation_key)
        before = snapshot(booking)
        booking.status = Status.CONFIRMED
        booking.confirmed_at = timezone.now()
        booking.expires_at = None
        prop = availability.get_property(booking.property_id)
        save_change(booking, action="confirmed", actor=actor, before=before, prop=prop, event_type="booking.confirmed")
    return booking


@retry_on_deadlock
def booking_cancel(*, booking_id: int, actor: Actor, now: datetime | None = None, reason: str = "") -> Booking:
    """Cancel a hold or a confirmed booking; the fee comes from the policy it was booked with.

    `reason` (staff's words, e.g. "guest called: flight cancelled") goes into the audit trail only,
    never into the event, which partners and the stream receive.
    """
    reason = clean_text(reason, field="reason", max_length=CANCEL_REASON_MAX, multiline=True)
    with transaction.atomic():
        booking = lock_booking(booking_id, actor=actor, read_rooms=True)
        require_status(booking, action="cancelled", allowed=(Status.HELD, Status.CONFIRMED))
        now = now or timezone.now()
        prop = availability.get_property(booking.property_id)
        before = snapshot(booking)
        booking.cancellation_fee = policies.cancellation_fee(booking, prop=prop, now=now)
        availability.release_inventory(key=booking.allocation_key)
        booking.status = Status.CANCELLED
        booking.cancelled_at = now
        booking.expires_at = None
        save_change(
            booking,
            action="cancelled",
            actor=actor,
            before=before,
            prop=prop,
            event_type="booking.cancelled",
            audit_extra={"reason": reason} if reason else None,
            cancellation_fee=str(booking.cancellation_fee),
        )
    return booking


def booking_cancellation_fee(*, booking_id: int, actor: Actor, now: datetime | None = None) -> Decimal:
    """The fee booking_cancel would charge at `now`, for showing before the caller decides; no lock, no change."""
    booking = Booking.objects.prefetch_related("rooms").filter(pk=booking_id).first()
    if booking is None or not owns(actor, booking):
        raise BookingNotFound("No such booking.")
    require_status(booking, action="cancelled", allowed=(Status.HELD, Status.CONFIRMED))
    prop = availability.get_property(booking.property_id)
    return policies.cancellation_fee(booking, prop=prop, now=now or timezone.now())


@retry_on_deadlock
def booking_expire(*, booking_id: int, now: datetime | None = None, actor: Actor = SYSTEM) -> Booking:
    """Let a lapsed hold go: its units return to sale. Refused while the hold is still running."""
    with transaction.atomic():
        booking = lock_booking(booking_id, read_rooms=True)
        now = now or timezone.now()
        require_status(booking, action="expired", allowed=(Status.HELD,))
        if booking.expires_at is not None and booking.expires_at > now:
            raise InvalidTransition(
                "The hold has not expired yet.",
                extra={"reference": booking.reference, "status": booking.status, "action": "expired"},
            )
        before = snapshot(booking)
        availability.release_inventory(key=booking.allocation_key)
        booking.status = Status.EXPIRED
        booking.expires_at = None
        save_change(
            booking,
            action="expired",
            actor=actor,
            before=before,
            prop=availability.get_property(booking.property_id),
            event_type="booking.expired",
        )
    return booking


def bookings_expire_due(*, now: datetime | None = None) -> int:
    """The sweeper: expire every lapsed hold, one short transaction each, then reclaim stray holds."""
    now = now or timezone.now()
    due = list(
        Booking.objects.filter(status=Status.HELD, expires_at__lte=now)
        .order_by("expires_at")
        .values_list("pk", flat=True)
    )
    expired = 0
    for booking_id in due:
        try:
            booking_expire(booking_id=booking_id, now=now)
            expired += 1
        except InvalidTransition:
            continue  # confirmed or cancelled since we listed it: nothing to do
        except (ApplicationError, DatabaseError):
            # One bad booking must not stop the sweep; the next run retries it.
            logger.exception("expiring a hold failed", extra={"booking_id": booking_id})
    availability.reclaim_expired_holds(now=now)
    return expired
