"""What other contexts (customers, partners, the guest site) may use of bookings.

Writes return BookingInfo, never model instances; errors are ApplicationError subclasses with
stable codes: invalid_transition, stale_version, booking_not_found, too_early, no_room_available,
assign_room's room_not_found / room_wrong_property / room_type_mismatch / room_out_of_order / room_taken /
rooms_already_assigned / staff_only,
availability's not_available / hold_expired, and customers' customer_not_found / customer_erased
(hold_booking and book need a live guest profile).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from apps.bookings.access import manage_token, manage_token_valid
from apps.bookings.actors import Actor
from apps.bookings.domain import RoomRequest, StayRequest
from apps.bookings.errors import BookingNotFound, InvalidTransition, RoomNotAssignable, StaleVersion
from apps.bookings.lists import DayBoard, SoldNight, bookings_for_day, sold_nights
from apps.bookings.selectors import (
    BookingFilter,
    BookingInfo,
    BookingRoomInfo,
    booking_find,
    booking_get,
    booking_info,
    bookings_list,
)
from apps.bookings.services import hold, lifecycle, modify, privacy, rooms, stay
from apps.customers.interface import CustomerInfo
from booking_platform.errors import PermissionDenied

__all__ = [
    "Actor",
    "BookingFilter",
    "BookingInfo",
    "BookingNotFound",
    "BookingRoomInfo",
    "InvalidTransition",
    "RoomNotAssignable",
    "RoomRequest",
    "StaleVersion",
    "StayRequest",
    "assign_room",
    "book",
    "cancel_booking",
    "cancellation_fee",
    "check_in",
    "check_out",
    "confirm_booking",
    "customer_bookings_erase",
    "customer_bookings_export",
    "customers_last_activity",
    "find_booking",
    "get_booking",
    "hold_booking",
    "list_bookings",
    "manage_token",
    "manage_token_valid",
    "modify_booking",
]


def hold_booking(*, request: StayRequest, actor: Actor, guest: CustomerInfo | None = None) -> BookingInfo:
    """Hold rooms for BOOKING_HOLD_MINUTES at the quoted price; confirm with confirm_booking.

    ``guest``: the profile of ``request.customer_id`` as the caller has just upserted or read it
    (spares reading it again to see it is live)."""
    return booking_info(hold.booking_hold(request=request, actor=actor, guest=guest))


def book(*, request: StayRequest, actor: Actor, guest: CustomerInfo | None = None) -> BookingInfo:
    """Book directly, sold at once in one transaction (``guest`` as for hold_booking)."""
    return booking_info(hold.booking_book(request=request, actor=actor, guest=guest))


def confirm_booking(*, booking_id: int, actor: Actor) -> BookingInfo:
    return booking_info(lifecycle.booking_confirm(booking_id=booking_id, actor=actor))


def cancel_booking(*, booking_id: int, actor: Actor, reason: str = "") -> BookingInfo:
    """`reason` is kept in the audit trail (at most 500 characters; ValidationFailed field "reason")."""
    return booking_info(lifecycle.booking_cancel(booking_id=booking_id, actor=actor, reason=reason))


def modify_booking(
    *,
    booking_id: int,
    actor: Actor,
    expected_version: int,
    check_in: date | None = None,
    check_out: date | None = None,
    rooms: Sequence[RoomRequest] | None = None,
) -> BookingInfo:
    return booking_info(
        modify.booking_modify(
            booking_id=booking_id,
            actor=actor,
            expected_version=expected_version,
            check_in=check_in,
            check_out=check_out,
            rooms=rooms,
        )
    )


def check_in(*, booking_id: int, actor: Actor) -> BookingInfo:
    return booking_info(stay.booking_check_in(booking_id=booking_id, actor=actor))


def check_out(*, booking_id: int, actor: Actor) -> BookingInfo:
    """Leaving before the booked departure gives the remaining nights back; the amounts stay as booked."""
    return booking_info(stay.booking_check_out(booking_id=booking_id, actor=actor))


def assign_room(*, booking_id: int, room_id: int, actor: Actor) -> BookingInfo:
    """Staff give a confirmed or in-house booking a particular room; RoomNotAssignable says why not."""
    return booking_info(rooms.booking_assign_room(booking_id=booking_id, room_id=room_id, actor=actor))


def get_booking(booking_id: int, *, actor: Actor | None = None) -> BookingInfo:
    """With a partner actor, someone else's booking is BookingNotFound, exactly like a missing one."""
    return _visible(booking_get(booking_id=booking_id), actor)


def find_booking(reference: str, *, actor: Actor | None = None) -> BookingInfo:
    return _visible(booking_find(reference=reference), actor)


def _visible(info: BookingInfo, actor: Actor | None) -> BookingInfo:
    if actor is not None and actor.kind == "partner" and str(info.partner_id) != actor.id:
        raise BookingNotFound("No booking with this reference.")
    return info


def list_bookings(*, actor: Actor, filters: BookingFilter, limit: int = 50) -> list[BookingInfo]:
    """Newest first, keyset-paged by ``filters.before_id``; a partner sees only its own, staff/system all."""
    if actor.kind == "partner":
        return bookings_list(owner_partner_id=int(actor.id), filters=filters, limit=limit)
    if actor.kind not in ("staff", "system"):
        raise PermissionDenied("Only staff and partners list bookings.", code="forbidden")
    return bookings_list(owner_partner_id=None, filters=filters, limit=limit)


def cancellation_fee(*, booking_id: int, actor: Actor) -> Decimal:
    """What cancelling now would cost (the same rule cancel_booking applies); changes nothing."""
    return lifecycle.booking_cancellation_fee(booking_id=booking_id, actor=actor)


def customer_bookings_export(*, customer_id: int) -> list[dict[str, Any]]:
    """For the customer's data export: bookings, rooms and audit trail as JSON-ready dicts."""
    return privacy.customer_bookings_export(customer_id=customer_id)


def customer_bookings_erase(*, customer_id: int, known_values: Collection[str], actor: Actor) -> int:
    """For erasure: blank guest names, requests and audit history; amounts stay. Returns bookings touched."""
    return privacy.customer_bookings_erase(customer_id=customer_id, known_values=known_values, actor=actor)


def customers_last_activity(*, customer_ids: Collection[int]) -> dict[int, date]:
    """Latest departure date of any booking per customer, for the retention purge."""
    return privacy.customers_last_activity(customer_ids=customer_ids)


# Staff boards and reports (apps/front_desk): constant queries per call.
__all__ += ["DayBoard", "SoldNight", "bookings_for_day", "sold_nights"]
