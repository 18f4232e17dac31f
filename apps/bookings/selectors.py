"""Reads on bookings, handed to other contexts as frozen dataclasses (apps/bookings/domain.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from apps.bookings.domain import BookingFilter, BookingInfo, BookingRoomInfo
from apps.bookings.errors import BookingNotFound
from apps.bookings.models import Booking
from apps.bookings.references import normalise_reference

__all__ = [
    "BookingFilter",
    "BookingInfo",
    "BookingRoomInfo",
    "booking_find",
    "booking_get",
    "booking_info",
    "bookings_list",
]


def booking_info(booking: Booking) -> BookingInfo:
    return BookingInfo(
        id=booking.pk,
        reference=booking.reference,
        property_id=booking.property_id,
        customer_id=booking.customer_id,
        channel=booking.channel,
        status=booking.status,
        language=booking.language,
        check_in=booking.check_in,
        check_out=booking.check_out,
        adults=booking.adults,
        children=booking.children,
        special_requests=booking.special_requests,
        currency=booking.currency,
        room_total=booking.room_total,
        taxes=booking.taxes,
        total=booking.total,
        cancellation_fee=booking.cancellation_fee,
        cancellation_policy=dict(booking.cancellation_policy),
        expires_at=booking.expires_at,
        version=booking.version,
        created_at=booking.created_at,
        rooms=tuple(
            BookingRoomInfo(
                room_type_id=r.room_type_id,
                room_type_name=r.room_type_name,
                rate_plan_id=r.rate_plan_id,
                rate_plan_name=r.rate_plan_name,
                adults=r.adults,
                children=r.children,
                nightly=tuple((date.fromisoformat(n["night"]), Decimal(n["price"])) for n in r.nightly),
                total=r.total,
                guest_name=r.guest_name,
                assigned_room_id=r.assigned_room_id,
            )
            for r in booking.rooms.all()
        ),
        departed_on=booking.departed_on,
        partner_id=booking.partner_id,
        partner_reference=booking.partner_reference,
    )


def booking_get(*, booking_id: int) -> BookingInfo:
    booking = Booking.objects.prefetch_related("rooms").filter(pk=booking_id).first()
    if booking is None:
        raise BookingNotFound("No such booking.")
    return booking_info(booking)


def booking_find(*, reference: str) -> BookingInfo:
    """By the reference a guest reads out or types (case, spaces and hyphens do not matter)."""
    booking = Booking.objects.prefetch_related("rooms").filter(reference=normalise_reference(reference)).first()
    if booking is None:
        raise BookingNotFound("No booking with this reference.")
    return booking_info(booking)


def bookings_for_customer(*, customer_id: int) -> list[BookingInfo]:
    return [booking_info(b) for b in Booking.objects.prefetch_related("rooms").filter(customer_id=customer_id)]


def bookings_list(*, owner_partner_id: int | None, filters: BookingFilter, limit: int = 50) -> list[BookingInfo]:
    """A page of bookings, newest first; a partner's list holds only its own (None: every booking, staff).

    Keyset on id, so a page never shifts when bookings are added; rooms come in one more query.
    """
    queryset = Booking.objects.prefetch_related("rooms").order_by("-id")
    if owner_partner_id is not None:
        queryset = queryset.filter(partner_id=owner_partner_id)
    if filters.property_id is not None:
        queryset = queryset.filter(property_id=filters.property_id)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.check_in_from is not None:
        queryset = queryset.filter(check_in__gte=filters.check_in_from)
    if filters.check_in_to is not None:
        queryset = queryset.filter(check_in__lte=filters.check_in_to)
    if filters.before_id is not None:
        queryset = queryset.filter(id__lt=filters.before_id)
    return [booking_info(b) for b in queryset[: max(1, min(limit, 200))]]
