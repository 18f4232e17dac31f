"""Taking a booking: a hold that lapses by itself, or a direct booking sold at once; both in one pass."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.availability import interface as availability
from apps.bookings.actors import Actor
from apps.bookings.domain import StayRequest
from apps.bookings.models import ActorKind, Booking, Channel, Status
from apps.bookings.records import record_change
from apps.bookings.references import new_reference
from apps.bookings.services.common import hold_expiry
from apps.bookings.services.pricing import Priced, apply_totals, inventory_items, price_rooms, write_lines
from apps.bookings.validation import clean_stay_request
from apps.customers import interface as customers
from booking_platform.db.retry import Clash, is_unique_violation, retry_on_deadlock
from booking_platform.errors import PermissionDenied, ValidationFailed


def _check_owner(request: StayRequest, actor: Actor) -> None:
    """A partner books only in its own name (it could otherwise read and cancel through another's)."""
    is_partner = actor.kind == ActorKind.PARTNER
    if is_partner and str(request.partner_id) != actor.id:
        raise PermissionDenied("A partner books only in its own name.", code="partner_mismatch")
    if request.partner_id is not None and request.channel != Channel.PARTNER:
        raise ValidationFailed("Only partner-channel bookings name a partner.", extra={"field": "partner_id"})


def _checked(request: StayRequest, actor: Actor, guest: customers.CustomerInfo | None) -> StayRequest:
    """Everything about the request that needs no lock: shape, owner and a live guest profile.

    The guest must be a live profile (NotFound customer_not_found / customer_erased): a booking for
    nobody, or for someone whose data was erased, could never be confirmed to or served. ``guest`` is
    that profile as the caller has just read or upserted it (only a live one can be had), so it is not
    read again.
    """
    if request.channel not in Channel.values:
        raise ValidationFailed("Unknown channel.", extra={"field": "channel"})
    request = clean_stay_request(request)  # text, language and ids checked before anything is written
    _check_owner(request, actor)
    if guest is None or guest.id != request.customer_id:
        customers.get_customer(request.customer_id)
    return request


def _new_booking(request: StayRequest, priced: Priced, *, status: str) -> Booking:
    """Insert the booking and its lines; a reference that clashes re-runs the whole transaction.

    References are random (49 bits), so the unique index is what settles a clash: checking first
    would cost a query per booking and still race with a concurrent insert of the same value.
    """
    reference = new_reference()
    now = timezone.now()
    booking = Booking(
        reference=reference,
        allocation_key=reference,
        property_id=request.property_id,
        customer_id=request.customer_id,
        channel=request.channel,
        partner_id=request.partner_id,
        partner_reference=(request.partner_reference or "").strip()[:64],
        status=status,
        language=(request.language or "en")[:8],
        check_in=request.check_in,
        check_out=request.check_out,
        special_requests=(request.special_requests or "").strip(),
        expires_at=hold_expiry(now) if status == Status.HELD else None,
        confirmed_at=now if status == Status.CONFIRMED else None,
    )
    apply_totals(booking, priced)
    try:
        booking.save(force_insert=True)
    except IntegrityError as exc:
        if is_unique_violation(exc):  # the only unique column is the reference
            raise Clash("booking reference taken") from exc
        raise
    write_lines(booking, priced, replace=False)
    return booking


def _take(request: StayRequest, *, status: str, actor: Actor) -> Booking:
    """Price, insert, take the units (held until the hold ends, or sold) and record it: one pass."""
    with transaction.atomic():
        priced = price_rooms(
            property_id=request.property_id,
            check_in=request.check_in,
            check_out=request.check_out,
            rooms=request.rooms,
            channel=request.channel,
        )
        booking = _new_booking(request, priced, status=status)
        availability.take_inventory(
            key=booking.allocation_key,
            items=inventory_items(
                check_in=request.check_in,
                check_out=request.check_out,
                room_type_ids=[r.room_type_id for r in request.rooms],
            ),
            hold_until=booking.expires_at,
            new_key=True,  # the reference was just inserted under its unique index
        )
        held = status == Status.HELD
        record_change(
            booking,
            action="held" if held else "confirmed",
            actor=actor,
            before={},
            prop=priced.property,
            event_type="booking.held" if held else "booking.confirmed",
        )
    return booking


@retry_on_deadlock
def booking_hold(*, request: StayRequest, actor: Actor, guest: customers.CustomerInfo | None = None) -> Booking:
    """Hold the rooms for BOOKING_HOLD_MINUTES at the quoted prices (NotAvailable: nothing taken)."""
    return _take(_checked(request, actor, guest), status=Status.HELD, actor=actor)


@retry_on_deadlock
def booking_book(*, request: StayRequest, actor: Actor, guest: customers.CustomerInfo | None = None) -> Booking:
    """Book directly (staff desk, instant partner booking): the units are taken as sold at once.

    No hold stage: one audit entry and one event, "booking.confirmed", carrying the whole booking.
    """
    return _take(_checked(request, actor, guest), status=Status.CONFIRMED, actor=actor)
