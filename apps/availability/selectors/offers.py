"""Turn a loaded calendar into offers: per-night prices, taxes, terms in words, and reasons not to fit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language

from apps.availability.domain import CancellationPolicy, Offer, OfferProblem, RoomTypeInfo, money, night_words
from apps.availability.models import Property, RatePlan, RoomType
from apps.availability.selectors.calendar import (
    CTA,
    CTD,
    EXTRA_ADULT,
    EXTRA_CHILD,
    MAX_STAY,
    MIN_STAY_ARRIVAL,
    MIN_STAY_THROUGH,
    PRICE,
    STOP_SELL,
    Calendar,
)
from apps.availability.selectors.catalogue import room_type_info


@dataclass(frozen=True)
class Stay:
    check_in: date
    check_out: date
    nights: tuple[date, ...]
    adults: int
    children: int
    units: int


def guest_problem(room_type: RoomType, stay: Stay) -> OfferProblem | None:
    if (
        stay.adults > room_type.max_adults
        or stay.children > room_type.max_children
        or stay.adults + stay.children > room_type.max_occupancy
    ):
        return OfferProblem(
            "too_many_guests",
            f"Too many guests: {room_type.name} sleeps at most {room_type.max_adults} adults, "
            f"{room_type.max_children} children and {room_type.max_occupancy} people in all.",
        )
    return None


def _restriction_problems(rows: dict[date, tuple[Any, ...]], stay: Stay, min_stay_through: int) -> list[OfferProblem]:
    """Arrival and departure closures and stay lengths; ``min_stay_through`` is the stay's highest."""
    problems = []
    arrival, departure = rows.get(stay.check_in), rows.get(stay.check_out)
    nights = len(stay.nights)
    if arrival and arrival[CTA]:
        problems.append(
            OfferProblem("closed_to_arrival", f"Closed to arrival on {night_words(stay.check_in)}.", stay.check_in)
        )
    if departure and departure[CTD]:
        problems.append(
            OfferProblem(
                "closed_to_departure", f"Closed to departure on {night_words(stay.check_out)}.", stay.check_out
            )
        )
    min_stay = max((arrival[MIN_STAY_ARRIVAL] if arrival else None) or 0, min_stay_through)
    if nights < min_stay:
        problems.append(OfferProblem("min_stay", f"Minimum stay {min_stay} nights."))
    max_stay = arrival[MAX_STAY] if arrival else None
    if max_stay and nights > max_stay:
        problems.append(OfferProblem("max_stay", f"Maximum stay {max_stay} nights."))
    return problems


def _closed(night: date) -> OfferProblem:
    return OfferProblem("closed", f"Not for sale on {night_words(night)}.", night)


def _sold_out(night: date, free: int) -> OfferProblem:
    words = night_words(night)
    return OfferProblem("sold_out", f"Sold out on {words}." if free == 0 else f"Only {free} left on {words}.", night)


def taxes_and_total(prop: Property, room_total: Decimal, stay: Stay) -> tuple[Decimal, Decimal]:
    """Prices include VAT (its share is reported); city tax per adult and night is added on top."""
    vat = room_total * prop.tax_percent / (Decimal(100) + prop.tax_percent)
    city_tax = prop.city_tax_per_person_night * stay.adults * len(stay.nights) * stay.units
    return money(vat + city_tax), money(room_total + city_tax)


def _policy_text(calendar: Calendar, plan: RatePlan, prop: Property, stay: Stay) -> tuple[CancellationPolicy, str]:
    """The plan's terms and their words: the same for every room type of a plan, so worded once per calendar."""
    key = ("policy", plan.pk, prop.pk, stay.check_in, get_language())
    found = calendar.memo.get(key)
    if found is None:
        policy = plan.policy
        text = policy.describe(check_in=stay.check_in, check_in_time=prop.check_in_time, timezone=prop.timezone)
        found = calendar.memo[key] = (policy, text)
    return found


def _room_type_info(calendar: Calendar, room_type: RoomType) -> RoomTypeInfo:
    key = ("room_type", room_type.pk)
    info = calendar.memo.get(key)
    if info is None:
        info = calendar.memo[key] = room_type_info(room_type)
    return info


def build_offer(calendar: Calendar, room_type: RoomType, plan: RatePlan, stay: Stay) -> Offer:
    """One offer in one pass over the nights: free units, closures and the price of each night.

    Reasons come in the order guests read them: too many guests, then night by night (sold out before
    closed), then arrival, departure and stay-length restrictions.
    """
    room_type_id = room_type.pk
    prop = calendar.properties[room_type.property_id]
    rows = calendar.rows_for(plan, room_type_id)
    free = calendar.free.get(room_type_id, {})
    too_many = guest_problem(room_type, stay)
    problems = [too_many] if too_many else []
    units = stay.units
    extra_adults = max(stay.adults - room_type.base_adults, 0)
    children = stay.children
    derived = plan if plan.parent_id else None
    nightly: list[tuple[date, Decimal]] = []
    available: int | None = None
    min_stay_through = 0
    for night in stay.nights:
        left = free.get(night) or 0
        if available is None or left < available:
            available = left
        if left < units:
            problems.append(_sold_out(night, left))
        row = rows.get(night)
        if row is None:
            problems.append(_closed(night))
            continue
        price = row[PRICE]
        if price is None or row[STOP_SELL]:
            problems.append(_closed(night))
        if price is not None:
            # Price per night for one unit: base occupancy plus extra adults and children, derived if so.
            if extra_adults:
                price = price + extra_adults * row[EXTRA_ADULT]
            if children:
                price = price + children * row[EXTRA_CHILD]
            nightly.append((night, derived.derive(price) if derived else money(price)))
        through = row[MIN_STAY_THROUGH]
        if through and through > min_stay_through:
            min_stay_through = through
    problems += _restriction_problems(rows, stay, min_stay_through)
    room_total = money(sum([price for _, price in nightly], Decimal(0)) * units)
    taxes, total = taxes_and_total(prop, room_total, stay)
    policy, policy_text = _policy_text(calendar, plan, prop, stay)
    return Offer(
        property_id=prop.pk,
        room_type=_room_type_info(calendar, room_type),
        rate_plan_id=plan.pk,
        rate_plan_name=plan.name,
        meal_plan=plan.meal_plan,
        units_available=available or 0,
        nightly=tuple(nightly),
        room_total=room_total,
        taxes=taxes,
        total=total,
        currency=prop.currency,
        policy=policy,
        policy_text=policy_text,
        problems=tuple(problems),
    )


def build_offers(calendar: Calendar, stay: Stay, *, channel: str) -> list[Offer]:
    offers = []
    for room_type in calendar.room_types:
        for plan in calendar.plans:
            if plan.property_id != room_type.property_id or (plan.pk, room_type.pk) not in calendar.sells:
                continue
            if channel not in (plan.channels or ()):
                continue
            offers.append(build_offer(calendar, room_type, plan, stay))
    return offers
