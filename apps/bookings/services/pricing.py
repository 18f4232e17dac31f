"""Quote every room of a request through availability and lock the prices onto booking lines."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from apps.availability import interface as availability
from apps.bookings.domain import RoomRequest
from apps.bookings.models import Booking, BookingRoom, remember_rooms
from booking_platform.errors import ValidationFailed


def sales_channel(channel: str) -> str:
    """Rate plans are sold on "web" and "partner"; the front desk sells at the public web rates."""
    return "web" if channel == "staff" else channel


@dataclass(frozen=True)
class Priced:
    quotes: tuple[tuple[RoomRequest, availability.Quote], ...]
    room_total: Decimal
    taxes: Decimal
    total: Decimal
    currency: str
    policy: dict
    property: availability.PropertyInfo  # as priced: terms and taxes for the audit and the event

    @property
    def adults(self) -> int:
        return sum(request.adults for request, _ in self.quotes)

    @property
    def children(self) -> int:
        return sum(request.children for request, _ in self.quotes)


def validate_stay(*, check_in: date, check_out: date, rooms: Sequence[RoomRequest]) -> None:
    """One place per rule: a booking needs a room (here); dates and guests are availability's rules
    (``availability.validate_stay``, the same check quote and search apply), so one code each."""
    if not rooms:
        raise ValidationFailed("Book at least one room.", code="rooms_required", extra={"field": "rooms"})
    for room in rooms:
        availability.validate_stay(
            check_in=check_in, check_out=check_out, adults=room.adults, children=room.children, units=1
        )


def price_rooms(
    *, property_id: int, check_in: date, check_out: date, rooms: Sequence[RoomRequest], channel: str
) -> Priced:
    """All rooms quoted together (two queries); they must share one cancellation policy (the booking keeps one).

    Free units are not judged here: the take that follows does it under lock.
    """
    validate_stay(check_in=check_in, check_out=check_out, rooms=rooms)
    stay = availability.quote_rooms(
        property_id=property_id,
        check_in=check_in,
        check_out=check_out,
        rooms=[
            availability.RoomAsk(room.room_type_id, room.rate_plan_id, adults=room.adults, children=room.children)
            for room in rooms
        ],
        channel=sales_channel(channel),
    )
    quotes = tuple(zip(rooms, stay.quotes, strict=True))
    policies = {repr(sorted(q.policy.to_dict().items())) for _, q in quotes}
    currencies = {q.currency for _, q in quotes}
    if len(policies) != 1 or len(currencies) != 1:
        raise ValidationFailed(
            "Rooms with different cancellation policies or currencies must be booked separately.",
            code="mixed_policies",
        )
    return Priced(
        quotes=quotes,
        room_total=sum((q.room_total for _, q in quotes), Decimal("0.00")),
        taxes=sum((q.taxes for _, q in quotes), Decimal("0.00")),
        total=sum((q.total for _, q in quotes), Decimal("0.00")),
        currency=currencies.pop(),
        policy=quotes[0][1].policy.to_dict(),
        property=stay.property,
    )


def inventory_items(
    *, check_in: date, check_out: date, room_type_ids: Sequence[int]
) -> list[availability.InventoryRequest]:
    """One request per room type with its unit count, in room type order."""
    counts = Counter(room_type_ids)
    return [
        availability.InventoryRequest(room_type_id=rt, check_in=check_in, check_out=check_out, units=units)
        for rt, units in sorted(counts.items())
    ]


def write_lines(booking: Booking, priced: Priced, *, replace: bool = True) -> list[BookingRoom]:
    """Write the priced rooms as the booking's lines (prices as strings, exact).

    ``replace`` first deletes the lines it had (a modification); a new booking has none. The lines
    are remembered on the booking, so the audit, the event and the answer read them without a query.
    """
    if replace:
        booking.rooms.all().delete()
    lines = BookingRoom.objects.bulk_create(
        [
            BookingRoom(
                booking=booking,
                room_type_id=request.room_type_id,
                room_type_name=q.room_type_name,
                rate_plan_id=request.rate_plan_id,
                rate_plan_name=q.rate_plan_name,
                adults=request.adults,
                children=request.children,
                nightly=[{"night": night.isoformat(), "price": str(price)} for night, price in q.nightly],
                room_total=q.room_total,
                taxes=q.taxes,
                total=q.total,
                guest_name=request.guest_name.strip()[:200],
            )
            for request, q in priced.quotes
        ]
    )
    remember_rooms(booking, lines)
    return lines


def apply_totals(booking: Booking, priced: Priced) -> None:
    booking.room_total = priced.room_total
    booking.taxes = priced.taxes
    booking.total = priced.total
    booking.currency = priced.currency
    booking.cancellation_policy = priced.policy
    booking.adults = priced.adults
    booking.children = priced.children
