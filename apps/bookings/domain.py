"""Bookings' public values: what callers send (StayRequest, RoomRequest, BookingFilter) and get back
(BookingInfo). Frozen, plain data, no database access, so every layer and every context may hold them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class RoomRequest:
    room_type_id: int
    rate_plan_id: int
    adults: int
    children: int = 0
    guest_name: str = ""


@dataclass(frozen=True, kw_only=True)
class StayRequest:
    """Who wants which rooms of which property for which nights, through which channel (hold or book)."""

    property_id: int
    customer_id: int
    check_in: date
    check_out: date  # exclusive
    rooms: tuple[RoomRequest, ...]  # any sequence is accepted and stored as a tuple
    channel: str  # "web" | "partner" | "staff"
    language: str = "en"
    special_requests: str = ""
    partner_id: int | None = None  # the owning partner (channel "partner"); None for web and staff
    partner_reference: str = ""  # the partner's own reference, shown back to it

    def __post_init__(self) -> None:
        object.__setattr__(self, "rooms", tuple(self.rooms))


@dataclass(frozen=True)
class BookingRoomInfo:
    room_type_id: int
    room_type_name: str
    rate_plan_id: int
    rate_plan_name: str
    adults: int
    children: int
    nightly: tuple[tuple[date, Decimal], ...]
    total: Decimal
    guest_name: str
    assigned_room_id: int | None


@dataclass(frozen=True)
class BookingInfo:
    id: int
    reference: str
    property_id: int
    customer_id: int
    channel: str
    status: str
    language: str
    check_in: date
    check_out: date
    adults: int
    children: int
    special_requests: str
    currency: str
    room_total: Decimal
    taxes: Decimal
    total: Decimal
    cancellation_fee: Decimal
    cancellation_policy: dict[str, Any]
    expires_at: datetime | None
    version: int
    created_at: datetime
    rooms: tuple[BookingRoomInfo, ...]
    departed_on: date | None = None  # the hotel date the guest actually left, if checked out
    partner_id: int | None = None  # the owning partner, None for web and staff bookings
    partner_reference: str = ""


@dataclass(frozen=True, kw_only=True)
class BookingFilter:
    """What a list of bookings may be narrowed by; ``before_id`` is the keyset cursor (newest first)."""

    property_id: int | None = None
    status: str | None = None
    check_in_from: date | None = None
    check_in_to: date | None = None
    before_id: int | None = None
