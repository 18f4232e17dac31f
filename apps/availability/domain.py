"""Plain values the availability context hands to other contexts (no models leak out)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from booking_platform.errors import Conflict, ValidationFailed

CENT = Decimal("0.01")
FREE_CANCELLATION = "free_cancellation"
NON_REFUNDABLE = "non_refundable"
FEE_TEXT = {
    # Translators: the fee clauses follow "after that" in "Free cancellation until ...; after that ...".
    "first_night": gettext_lazy("the first night is charged"),
    "full_stay": gettext_lazy("the full stay is charged"),
}


class NotAvailable(Conflict):
    """What was asked for cannot be sold; ``extra["nights"]`` names the short nights (ISO dates)."""

    code = "not_available"


class HoldExpired(Conflict):
    """The hold lapsed (or never existed) before it was confirmed."""

    code = "hold_expired"


def invalid(field: str, code: str, message: str) -> ValidationFailed:
    """A validation error that names the offending input field, so forms and APIs can point at it."""
    return ValidationFailed(message, code=code, extra={"field": field})


def money(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def stay_nights(check_in: date, check_out: date) -> list[date]:
    """The nights of [check_in, check_out): what inventory is counted in."""
    return [check_in + timedelta(days=offset) for offset in range((check_out - check_in).days)]


def night_words(night: date) -> str:
    """'24 Dec 2026': the same wording in every reason and policy text."""
    return f"{night.day} {night:%b %Y}"


@dataclass(frozen=True)
class CancellationPolicy:
    """Terms a rate plan sells with; stored verbatim on bookings, so it must round-trip as JSON."""

    kind: str
    free_until_hours: int | None = None
    fee_kind: str | None = None
    fee_percent: Decimal | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "free_until_hours": self.free_until_hours,
            "fee_kind": self.fee_kind,
            "fee_percent": None if self.fee_percent is None else str(self.fee_percent),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CancellationPolicy:
        percent = data.get("fee_percent")
        return cls(
            kind=data["kind"],
            free_until_hours=data.get("free_until_hours"),
            fee_kind=data.get("fee_kind"),
            fee_percent=None if percent is None else Decimal(str(percent)),
        )

    def free_until(self, *, check_in: date, check_in_time: time, timezone: str) -> datetime | None:
        """The last moment of free cancellation, as an aware datetime in the property's zone.

        "N hours before arrival" counts real elapsed hours, so across a DST change the
        wall-clock time of the deadline moves by the hour the clocks moved. A free plan saved without
        hours (the admin refuses that, the database does not) is free until arrival, as ``describe`` says.
        """
        if self.kind != FREE_CANCELLATION:
            return None
        zone = ZoneInfo(timezone)
        arrival = datetime.combine(check_in, check_in_time, tzinfo=zone)
        deadline = arrival.astimezone(ZoneInfo("UTC")) - timedelta(hours=self.free_until_hours or 0)
        return deadline.astimezone(zone)

    def fee(self, *, nightly: Sequence[Decimal], units: int = 1, free: bool) -> Decimal:
        """What cancelling costs: nothing while free, else the fee the terms name."""
        stay = sum(nightly, Decimal(0)) * units
        if free and self.kind == FREE_CANCELLATION:
            return Decimal("0.00")
        if self.kind == NON_REFUNDABLE or self.fee_kind == "full_stay":
            return money(stay)
        if self.fee_kind == "percent":
            return money(stay * (self.fee_percent or Decimal(0)) / 100)
        return money((nightly[0] if nightly else Decimal(0)) * units)

    def _fee_words(self) -> str:
        if self.fee_kind == "percent":
            percent = formats.number_format(Decimal(f"{(self.fee_percent or Decimal(0)).normalize():f}"))
            # Translators: follows "after that"; %(percent)s is a number such as 25 or 12.5.
            return _("%(percent)s%% of the stay is charged") % {"percent": percent}
        return str(FEE_TEXT.get(self.fee_kind or "first_night", FEE_TEXT["first_night"]))

    def describe(self, *, check_in: date | None = None, check_in_time: time | None = None, timezone: str = "") -> str:
        """The terms in words, in the active language; with a check-in and zone, the deadline as a hotel-local
        date and time (formatted for the active language: English gives "22 Dec 2026 15:00")."""
        if self.kind == NON_REFUNDABLE:
            return _("Non-refundable: the full stay is charged when you book and nothing is refunded.")
        hours = self.free_until_hours or 0
        if check_in and check_in_time and timezone:
            deadline = self.free_until(check_in=check_in, check_in_time=check_in_time, timezone=timezone)
            assert deadline is not None
            # Translators: a Django date format (docs: "date" template filter); escape letters with a backslash.
            when = formats.date_format(deadline, pgettext("cancellation deadline", "j M Y H:i"))
            free = _("Free cancellation until %(deadline)s (hotel time)") % {"deadline": when}
        elif hours:
            free = ngettext(
                "Free cancellation until %(hours)d hour before arrival",
                "Free cancellation until %(hours)d hours before arrival",
                hours,
            ) % {"hours": hours}
        else:
            free = _("Free cancellation until arrival")
        # Translators: %(free)s is "Free cancellation until ...", %(fee)s e.g. "the first night is charged".
        return _("%(free)s; after that %(fee)s.") % {"free": free, "fee": self._fee_words()}


@dataclass(frozen=True)
class PropertyInfo:
    id: int
    name: str
    slug: str
    timezone: str
    currency: str
    check_in_time: time
    check_out_time: time
    admin_emails: tuple[str, ...]
    alert_phones: tuple[str, ...]
    tax_percent: Decimal
    city_tax_per_person_night: Decimal
    city: str = ""
    country: str = ""
    address: str = ""
    description: str = ""


@dataclass(frozen=True)
class RoomTypeInfo:
    id: int
    property_id: int
    code: str
    name: str
    base_adults: int
    max_adults: int
    max_children: int
    max_occupancy: int


@dataclass(frozen=True)
class RatePlanInfo:
    id: int
    property_id: int
    code: str
    name: str
    meal_plan: str
    parent_id: int | None
    channels: tuple[str, ...]
    policy: CancellationPolicy


@dataclass(frozen=True)
class RoomInfo:
    id: int
    property_id: int
    room_type_id: int
    room_number: str
    floor: str
    housekeeping_status: str


@dataclass(frozen=True)
class Quote:
    property_id: int
    room_type_id: int
    room_type_name: str
    rate_plan_id: int
    rate_plan_name: str
    check_in: date
    check_out: date
    adults: int
    children: int
    units: int
    nightly: tuple[tuple[date, Decimal], ...]
    room_total: Decimal
    taxes: Decimal
    total: Decimal
    currency: str
    policy: CancellationPolicy
    policy_text: str = ""


@dataclass(frozen=True)
class OfferProblem:
    """Why an offer cannot be booked: a stable code, the words, and the night it concerns if any."""

    code: str
    message: str
    night: date | None = None


@dataclass(frozen=True)
class Offer:
    """One room type under one rate plan for the asked stay; ``problems`` empty means bookable."""

    property_id: int
    room_type: RoomTypeInfo
    rate_plan_id: int
    rate_plan_name: str
    meal_plan: str
    units_available: int
    nightly: tuple[tuple[date, Decimal], ...]
    room_total: Decimal
    taxes: Decimal
    total: Decimal
    currency: str
    policy: CancellationPolicy
    policy_text: str
    problems: tuple[OfferProblem, ...] = ()

    @property
    def bookable(self) -> bool:
        return not self.problems

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(problem.message for problem in self.problems)
