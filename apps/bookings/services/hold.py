"""Taking a booking: a hold that lapses by itself, or a direct booking (hold and confirm at once)."""

from __future__ import annotations

from django.db import transaction

from apps.availability import interface as availability
from apps.bookings.actors import Actor
from apps.bookings.domain import StayRequest
from apps.bookings.models import ActorKind, Booking, Channel, Status
from apps.bookings.records import record_change
from apps.bookings.references import new_reference
from apps.bookings.services.common import hold_expiry
from apps.bookings.services.lifecycle import booking_confirm
from apps.bookings.services.pricing import apply_totals, inventory_items, price_rooms, write_lines
from apps.bookings.validation import clean_stay_request
from apps.customers import interface as customers
from booking_platform.db.retry import retry_on_deadlock
from booking_platform.errors import PermissionDenied, ValidationFailed


def _unused_reference() -> str:
    # 49 random bits: a clash is vanishingly rare, but a unique column must never be the one to notice.
    while True:
        reference = new_reference()
        if not Booking.objects.filter(reference=reference).exists():
            return reference


def _check_owner(request: StayRequest, actor: Actor) -> None:
    """A partner books only in its own name (it could otherwise read and cancel through another's)."""
    is_partner = actor.kind == ActorKind.PARTNER
    if is_partner and str(request.partner_id) != actor.id:
        raise PermissionDenied("A partner books only in its own name.", code="partner_mismatch")
    if request.partner_id is not None and request.channel != Channel.PARTNER:
        raise ValidationFailed("Only partner-channel bookings name a partner.", extra={"field": "partner_id"})


@retry_on_deadlock
def booking_hold(*, request: StayRequest, actor: Actor) -> Booking:
    """Hold the rooms for BOOKING_HOLD_MINUTES at the quoted prices (NotAvailable: nothing taken).

    The guest must be a live profile (NotFound customer_not_found / customer_erased): a booking for
    nobody, or for someone whose data was erased, could never be confirmed to or served.
    """
    if request.channel not in Channel.values:
        raise ValidationFailed("Unknown channel.", extra={"field": "channel"})
    request = clean_stay_request(request)  # text, language and ids checked before anything is written
    _check_owner(request, actor)
    customers.get_customer(request.customer_id)
    with transaction.atomic():
        priced = price_rooms(
            property_id=request.property_id,
            check_in=request.check_in,
            check_out=request.check_out,
            rooms=request.rooms,
            channel=request.channel,
        )
        reference = _unused_reference()
        booking = Booking(
            reference=reference,
            allocation_key=reference,
            property_id=request.property_id,
            customer_id=request.customer_id,
            channel=request.channel,
            partner_id=request.partner_id,
            partner_reference=(request.partner_reference or "").strip()[:64],
            status=Status.HELD,
            language=(request.language or "en")[:8],
            check_in=request.check_in,
            check_out=request.check_out,
            special_requests=(request.special_requests or "").strip(),
            expires_at=hold_expiry(),
        )
        apply_totals(booking, priced)
        booking.save()
        write_lines(booking, priced)
        availability.take_inventory(
            key=booking.allocation_key,
            items=inventory_items(
                check_in=request.check_in,
                check_out=request.check_out,
                room_type_ids=[r.room_type_id for r in request.rooms],
            ),
            hold_until=booking.expires_at,
        )
        record_change(
            booking,
            action="held",
            actor=actor,
            before={},
            prop=availability.get_property(request.property_id),
            event_type="booking.held",
        )
    return booking


@retry_on_deadlock
def booking_book(*, request: StayRequest, actor: Actor) -> Booking:
    """Book directly (staff desk, instant partner booking): hold and confirm in one transaction."""
    with transaction.atomic():
        booking = booking_hold(request=request, actor=actor)
        return booking_confirm(booking_id=booking.pk, actor=actor)
