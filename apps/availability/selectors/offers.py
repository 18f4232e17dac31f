"""Turn a loaded calendar into offers: per-night prices, taxes, terms in words, and reasons not to fit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from apps.availability.domain import Offer, OfferProblem, money, night_words
from apps.availability.models import Property, RatePlan, RoomType
from apps.availability.selectors.calendar import Calendar
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


def _night_problems(calendar: Calendar, room_type: RoomType, rates: dict[date, Any], stay: Stay) -> list[OfferProblem]:
    problems = []
    for night in stay.nights:
        free = calendar.free_on(room_type.pk, night) or 0
        if free < stay.units:
            message = (
                f"Sold out on {night_words(night)}." if free == 0 else f"Only {free} left on {night_words(night)}."
            )
            problems.append(OfferProblem("sold_out", message, night))
        rate = rates.get(night)
        if rate is None or rate["price"] is None or rate["stop_sell"]:
            problems.append(OfferProblem("closed", f"Not for sale on {night_words(night)}.", night))
    return problems


def _restriction_problems(rates: dict[date, Any], stay: Stay) -> list[OfferProblem]:
    problems = []
    arrival, departure = rates.get(stay.check_in), rates.get(stay.check_out)
    nights = len(stay.nights)
    if arrival and arrival["closed_to_arrival"]:
        problems.append(
            OfferProblem("closed_to_arrival", f"Closed to arrival on {night_words(stay.check_in)}.", stay.check_in)
        )
    if departure and departure["closed_to_departure"]:
        problems.append(
            OfferProblem(
                "closed_to_departure", f"Closed to departure on {night_words(stay.check_out)}.", stay.check_out
            )
        )
    through = [rates[night]["min_stay_through"] or 0 for night in stay.nights if night in rates]
    min_stay = max([(arrival or {}).get("min_stay_arrival") or 0, *through])
    if nights < min_stay:
        problems.append(OfferProblem("min_stay", f"Minimum stay {min_stay} nights."))
    max_stay = (arrival or {}).get("max_stay")
    if max_stay and nights > max_stay:
        problems.append(OfferProblem("max_stay", f"Maximum stay {max_stay} nights."))
    return problems


def _nightly(plan: RatePlan, room_type: RoomType, rates: dict[date, Any], stay: Stay) -> list[tuple[date, Decimal]]:
    """Price per night for one unit: base occupancy plus extra adults and children, derived if so."""
    extra_adults = max(stay.adults - room_type.base_adults, 0)
    nightly = []
    for night in stay.nights:
        rate = rates.get(night)
        if rate is None or rate["price"] is None:
            continue
        price = rate["price"] + extra_adults * rate["extra_adult_price"] + stay.children * rate["extra_child_price"]
        nightly.append((night, plan.derive(price) if plan.parent_id else money(price)))
    return nightly


def taxes_and_total(prop: Property, room_total: Decimal, stay: Stay) -> tuple[Decimal, Decimal]:
    """Prices include VAT (its share is reported); city tax per adult and night is added on top."""
    vat = room_total * prop.tax_percent / (Decimal(100) + prop.tax_percent)
    city_tax = prop.city_tax_per_person_night * stay.adults * len(stay.nights) * stay.units
    return money(vat + city_tax), money(room_total + city_tax)


def build_offer(calendar: Calendar, room_type: RoomType, plan: RatePlan, stay: Stay) -> Offer:
    prop = calendar.properties[room_type.property_id]
    rates = calendar.rates_for(plan, room_type.pk)
    too_many = guest_problem(room_type, stay)
    problems = [too_many] if too_many else []
    problems += _night_problems(calendar, room_type, rates, stay) + _restriction_problems(rates, stay)
    nightly = _nightly(plan, room_type, rates, stay)
    room_total = money(sum((price for _, price in nightly), Decimal(0)) * stay.units)
    taxes, total = taxes_and_total(prop, room_total, stay)
    policy = plan.policy
    return Offer(
        property_id=prop.pk,
        room_type=room_type_info(room_type),
        rate_plan_id=plan.pk,
        rate_plan_name=plan.name,
        meal_plan=plan.meal_plan,
        units_available=min((calendar.free_on(room_type.pk, night) or 0) for night in stay.nights),
        nightly=tuple(nightly),
        room_total=room_total,
        taxes=taxes,
        total=total,
        currency=prop.currency,
        policy=policy,
        policy_text=policy.describe(check_in=stay.check_in, check_in_time=prop.check_in_time, timezone=prop.timezone),
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
