"""Turn a loaded calendar into offers: per-night prices, taxes, terms in words, and reasons not to fit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import repeat
from operator import add, is_, itemgetter, mul
from typing import Any

from django.utils.translation import get_language

from apps.availability.domain import CENT, CancellationPolicy, Offer, OfferProblem, RoomTypeInfo, money, night_words
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


def _restriction_problems(
    arrival: tuple[Any, ...] | None, departure: tuple[Any, ...] | None, stay: Stay, min_stay_through: int
) -> list[OfferProblem]:
    """Closures on the arrival and departure days and stay lengths; ``min_stay_through`` is the stay's highest."""
    problems = []
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


def _policy_text(
    calendar: Calendar, plan: RatePlan, prop: Property, stay: Stay, language: str | None
) -> tuple[CancellationPolicy, str]:
    """The plan's terms and their words: the same for every room type of a plan, so worded once per calendar."""
    key = ("policy", plan.id, prop.id, stay.check_in, language)
    found = calendar.memo.get(key)
    if found is None:
        policy = plan.policy
        text = policy.describe(check_in=stay.check_in, check_in_time=prop.check_in_time, timezone=prop.timezone)
        found = calendar.memo[key] = (policy, text)
    return found


def _room_type_info(calendar: Calendar, room_type: RoomType) -> RoomTypeInfo:
    key = ("room_type", room_type.id)
    info = calendar.memo.get(key)
    if info is None:
        info = calendar.memo[key] = room_type_info(room_type)
    return info


def _free_nights(calendar: Calendar, room_type_id: int, stay: Stay) -> tuple[int, dict[date, OfferProblem]]:
    """Units free on every night of the stay, and the nights short of the asked rooms with their reason.

    The same for every plan of a room type, so worked out once per calendar.
    """
    key = ("free", room_type_id, stay.nights, stay.units)
    found = calendar.memo.get(key)
    if found is None:
        free = calendar.free_units(room_type_id, stay.nights)
        available = min(free)
        short: dict[date, OfferProblem] = {}
        if available < stay.units:
            short = {
                night: _sold_out(night, left)
                for night, left in zip(stay.nights, free, strict=True)
                if left < stay.units
            }
        found = calendar.memo[key] = (available, short)
    return found


_price = itemgetter(PRICE)
_extra_adult = itemgetter(EXTRA_ADULT)
_extra_child = itemgetter(EXTRA_CHILD)
_stop_sell = itemgetter(STOP_SELL)
_min_stay_through = itemgetter(MIN_STAY_THROUGH)


def _open_prices(
    rows: list[tuple[Any, ...]], stay: Stay, extra_adults: int, derive: Callable[[Decimal], Decimal] | None
) -> list[Decimal] | None:
    """The price of every night when every night is open and priced, else None; C-level, night by night."""
    prices = list(map(_price, rows))
    if any(map(is_, prices, repeat(None))) or any(map(_stop_sell, rows)):
        return None
    if extra_adults:
        prices = list(map(add, prices, map(mul, repeat(extra_adults), map(_extra_adult, rows))))
    if stay.children:
        prices = list(map(add, prices, map(mul, repeat(stay.children), map(_extra_child, rows))))
    if derive:
        return list(map(derive, prices))
    return list(map(Decimal.quantize, prices, repeat(CENT), repeat(ROUND_HALF_UP)))


def _nights(
    rows: list[tuple[Any, ...] | None],
    stay: Stay,
    short: dict[date, OfferProblem],
    extra_adults: int,
    derive: Callable[[Decimal], Decimal] | None,
) -> tuple[list[OfferProblem], list[tuple[date, Decimal]], list[Decimal], int]:
    """Night by night: the reasons (sold out before closed), each priced night with its price, the
    prices, and the highest minimum stay through the stay. Most stays have every night open and no
    night short: then there is no Python loop over the nights."""
    nights = stay.nights
    if not short and None not in rows:
        prices = _open_prices(rows, stay, extra_adults, derive)  # type: ignore[arg-type]  # no None in rows
        if prices is not None:
            through = max(filter(None, map(_min_stay_through, rows)), default=0)
            return [], list(zip(nights, prices, strict=True)), prices, through
    problems: list[OfferProblem] = []
    nightly: list[tuple[date, Decimal]] = []
    min_stay_through = 0
    for night, row in zip(nights, rows, strict=True):
        if short and night in short:
            problems.append(short[night])
        if row is None:
            problems.append(_closed(night))
            continue
        price = row[PRICE]
        if price is None:
            problems.append(_closed(night))
        else:
            if row[STOP_SELL]:
                problems.append(_closed(night))
            if extra_adults:
                price = price + extra_adults * row[EXTRA_ADULT]
            if stay.children:
                price = price + stay.children * row[EXTRA_CHILD]
            nightly.append((night, derive(price) if derive else price.quantize(CENT, ROUND_HALF_UP)))
        through = row[MIN_STAY_THROUGH]
        if through and through > min_stay_through:
            min_stay_through = through
    return problems, nightly, [price for _, price in nightly], min_stay_through


def build_offer(calendar: Calendar, room_type: RoomType, plan: RatePlan, stay: Stay) -> Offer:
    """One offer in one pass over the nights: free units, closures and the price of each night.

    Reasons come in the order guests read them: too many guests, then night by night (sold out before
    closed), then arrival, departure and stay-length restrictions.
    """
    return _offer(calendar, room_type, plan, stay, get_language())


def _offer(calendar: Calendar, room_type: RoomType, plan: RatePlan, stay: Stay, language: str | None) -> Offer:
    room_type_id = room_type.id
    prop = calendar.properties[room_type.property_id]
    available, short = _free_nights(calendar, room_type_id, stay)
    # The stay's nights and the departure day (its closure to departure).
    rows = calendar.rows_on(plan, room_type_id, (*stay.nights, stay.check_out))
    departure = rows.pop()
    too_many = guest_problem(room_type, stay)
    problems = [too_many] if too_many else []
    # Price per night for one unit: base occupancy plus extra adults and children, derived if so.
    extra_adults = max(stay.adults - room_type.base_adults, 0)
    derive = plan.derive if plan.parent_id else None
    night_problems, nightly, prices, min_stay_through = _nights(rows, stay, short, extra_adults, derive)
    problems += night_problems
    problems += _restriction_problems(rows[0], departure, stay, min_stay_through)
    room_total = money(sum(prices, Decimal(0)) * stay.units)
    taxes, total = taxes_and_total(prop, room_total, stay)
    policy, policy_text = _policy_text(calendar, plan, prop, stay, language)
    return Offer(
        property_id=prop.id,
        room_type=_room_type_info(calendar, room_type),
        rate_plan_id=plan.id,
        rate_plan_name=plan.name,
        meal_plan=plan.meal_plan,
        units_available=available,
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
    """Every room type under every plan that sells it on the channel, in catalogue order."""
    language = get_language()
    on_sale = [plan for plan in calendar.plans if channel in (plan.channels or ())]
    sells = calendar.sells
    offers = []
    for room_type in calendar.room_types:
        property_id, room_type_id = room_type.property_id, room_type.id
        for plan in on_sale:
            if plan.property_id == property_id and (plan.id, room_type_id) in sells:
                offers.append(_offer(calendar, room_type, plan, stay, language))
    return offers
