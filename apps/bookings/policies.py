"""Cancellation fees from the policy snapshot stored on the booking, in the property's local time.

"Free until N hours before arrival" counts N real hours back from the property-local check-in
time on the arrival date, so across a DST change the local deadline moves by the shift.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def arrival_at(*, check_in: date, check_in_time: time, timezone: str) -> datetime:
    """The aware moment the stay begins: check-in time on the arrival date, hotel time."""
    return datetime.combine(check_in, check_in_time, tzinfo=ZoneInfo(timezone))


def free_until(*, policy: dict[str, Any], arrival: datetime) -> datetime | None:
    """The last moment cancelling is free, or None if it never is."""
    if policy.get("kind") != "free_cancellation":
        return None
    hours = policy.get("free_until_hours")
    if hours is None:
        return arrival
    # Subtract in UTC: hours are elapsed time, not wall-clock, whatever DST does in between.
    return (arrival.astimezone(ZoneInfo("UTC")) - timedelta(hours=int(hours))).astimezone(arrival.tzinfo)


def _fee(*, policy: dict[str, Any], total: Decimal, first_night: Decimal) -> Decimal:
    fee_kind = policy.get("fee_kind") or "full_stay"
    if fee_kind == "first_night":
        return min(first_night, total)
    if fee_kind == "percent":
        percent = Decimal(str(policy.get("fee_percent") or 0))
        return (total * percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    return total


def cancellation_fee(
    *, policy: dict[str, Any], arrival: datetime, now: datetime, total: Decimal, first_night: Decimal
) -> Decimal:
    """What the guest owes for cancelling at `now`: 0 up to and including the free deadline."""
    deadline = free_until(policy=policy, arrival=arrival)
    if deadline is not None and now <= deadline:
        return ZERO
    return _fee(policy=policy, total=total, first_night=first_night).quantize(CENT)


def describe(*, policy: dict[str, Any], arrival: datetime) -> str:
    """The policy in words with its deadline in hotel time, as guests and staff read it."""
    fee_kind = policy.get("fee_kind") or "full_stay"
    if fee_kind == "first_night":
        charge = "the first night is charged"
    elif fee_kind == "percent":
        charge = f"{Decimal(str(policy.get('fee_percent') or 0)).normalize():f}% of the total is charged"
    else:
        charge = "the full stay is charged"
    deadline = free_until(policy=policy, arrival=arrival)
    if deadline is None:
        return "Non-refundable: the full stay is charged on cancellation."
    when = f"{deadline.day} {deadline:%b %Y %H:%M}"
    return f"Free cancellation until {when} (hotel time); after that {charge}."
