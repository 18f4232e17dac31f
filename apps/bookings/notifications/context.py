"""Everything a booking message says, gathered from the event payload and fresh lookups.

Payloads carry no personal data (docs/contracts.md), so names and addresses are
looked up when the message is built, through the other contexts' interfaces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats

from apps.availability.interface import CancellationPolicy, PropertyInfo, get_property
from apps.bookings.access import manage_token
from apps.customers.interface import CustomerInfo, get_customer
from booking_platform.errors import NotFound
from booking_platform.events.types import Event


def format_money(amount: Decimal, currency: str) -> str:
    """An amount in the active language's number format: "1,234.50 EUR", "1.234,50 EUR", "1 234,50 EUR"."""
    number = formats.number_format(amount, decimal_pos=2, force_grouping=True)
    return f"{number} {currency}".strip()


@dataclass(frozen=True)
class Money:
    """Shown by templates through str(), i.e. formatted in the language active while rendering."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return format_money(self.amount, self.currency)


@dataclass(frozen=True)
class RoomLine:
    room_type_name: str
    rate_plan_name: str
    adults: int
    children: int
    nights: int
    amount: Decimal
    currency: str = ""

    @property
    def amount_money(self) -> Money:
        return Money(self.amount, self.currency)


@dataclass(frozen=True)
class BookingView:
    """A booking as messages show it; built per message, never stored."""

    event_type: str
    reference: str
    status: str
    prop: PropertyInfo
    guest: CustomerInfo | None
    check_in: date
    check_out: date
    nights: int
    currency: str
    total: Decimal
    taxes: Decimal
    cancellation_fee: Decimal
    policy_text: str
    channel: str
    language: str
    rooms: tuple[RoomLine, ...]
    previous: dict[str, Any] = field(default_factory=dict)
    policy: dict[str, Any] = field(default_factory=dict)
    booking_id: int = 0

    @property
    def total_money(self) -> Money:
        return Money(self.total, self.currency)

    @property
    def taxes_money(self) -> Money:
        return Money(self.taxes, self.currency)

    @property
    def fee_money(self) -> Money:
        return Money(self.cancellation_fee, self.currency)

    @property
    def previous_check_in(self) -> date | None:
        return _day(self.previous.get("check_in"))

    @property
    def previous_check_out(self) -> date | None:
        return _day(self.previous.get("check_out"))

    @property
    def previous_total_money(self) -> Money | None:
        try:
            return Money(Decimal(str(self.previous["total"])), self.currency)
        except (KeyError, ArithmeticError):
            return None

    @property
    def policy_words(self) -> str:
        """The cancellation terms in the active language, told again from the policy snapshot in the payload
        (the payload's ``policy_text`` was worded when the booking was made); that text if the snapshot is unusable.
        """
        if self.policy:
            try:
                policy = CancellationPolicy.from_dict(self.policy)
                return policy.describe(
                    check_in=self.check_in, check_in_time=self.prop.check_in_time, timezone=self.prop.timezone
                )
            except (KeyError, TypeError, ValueError, ArithmeticError):
                pass
        return self.policy_text

    @property
    def admin_url(self) -> str:
        return f"{settings.SITE_URL}/{settings.ADMIN_URL}bookings/booking/?q={self.reference}"

    @property
    def manage_url(self) -> str:
        """The guest site's manage page with the booking's secret (apps/bookings/access.py): the email only."""
        if not self.booking_id:
            return self.lookup_url
        # In the query string: access logs record the path only, so the secret stays out of them.
        return f"{self.lookup_url}?key={manage_token(booking_id=self.booking_id, reference=self.reference)}"

    @property
    def lookup_url(self) -> str:
        """The manage page without the secret (asks for the email): for calendar files, which get shared."""
        return f"{settings.SITE_URL}/bookings/{self.reference}/"

    @property
    def guest_name(self) -> str:
        name = f"{self.guest.first_name} {self.guest.last_name}".strip() if self.guest else ""
        return name or "(guest data erased)"

    @property
    def room_summary(self) -> str:
        return ", ".join(sorted({line.room_type_name for line in self.rooms}))

    def local(self, day: date, at: time) -> datetime:
        """A property-local wall-clock moment (check-in/out), timezone-aware."""
        return datetime.combine(day, at, tzinfo=ZoneInfo(self.prop.timezone))


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _room_line(room: dict[str, Any], currency: str = "") -> RoomLine:
    nights = room.get("nights") or []
    return RoomLine(
        room_type_name=str(room.get("room_type_name", "")),
        rate_plan_name=str(room.get("rate_plan_name", "")),
        adults=int(room.get("adults", 0)),
        children=int(room.get("children", 0)),
        nights=len(nights),
        amount=sum((Decimal(str(n.get("price", "0"))) for n in nights), Decimal("0")),
        currency=currency,
    )


def find_guest(customer_id: Any) -> CustomerInfo | None:
    """None when the profile is gone (erased): we then write to nobody."""
    if not customer_id:
        return None
    try:
        return get_customer(int(customer_id))
    except NotFound:
        return None


def booking_view(event: Event) -> BookingView:
    """Raises NotFound if the property is gone (nothing sensible to send)."""
    p = event.payload
    check_in, check_out = date.fromisoformat(p["check_in"]), date.fromisoformat(p["check_out"])
    return BookingView(
        event_type=event.event_type,
        reference=str(p.get("reference") or event.aggregate_id),
        status=str(p.get("status", "")),
        prop=get_property(int(p["property_id"])),
        guest=find_guest(p.get("customer_id")),
        check_in=check_in,
        check_out=check_out,
        nights=(check_out - check_in).days,
        currency=str(p.get("currency", "")),
        total=Decimal(str(p.get("total", "0"))),
        taxes=Decimal(str(p.get("taxes", "0"))),
        cancellation_fee=Decimal(str(p.get("cancellation_fee", "0"))),
        policy_text=str(p.get("policy_text", "")),
        channel=str(p.get("channel", "")),
        language=str(p.get("language") or settings.LANGUAGE_CODE),
        rooms=tuple(_room_line(r, str(p.get("currency", ""))) for r in p.get("rooms", [])),
        previous=dict(p.get("previous") or {}),
        policy=dict(p.get("policy") or {}),
        booking_id=int(p.get("booking_id") or 0),
    )
