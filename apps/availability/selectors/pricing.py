"""Price every room of a booking in two queries (catalogue, rates), whatever its nights and rooms.

A booking service takes the units under lock right after pricing, so whether a night still has a
free unit is the take's to judge (NotAvailable names the short nights). Pricing refuses everything
else exactly as ``quote`` does: unknown ids, a plan not sold on the channel, too many guests, a
past check-in, closed nights and stay restrictions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from apps.availability.domain import PropertyInfo, Quote, invalid
from apps.availability.models import NightRate, RatePlan
from apps.availability.selectors.calendar import RATE_FIELDS, Calendar, rate_rows_of
from apps.availability.selectors.catalogue import property_info
from apps.availability.selectors.offers import Stay, build_offer, guest_problem
from apps.availability.selectors.search import check_channel, local_today, quote, quote_of, validate_stay

# Rooms the take has not judged yet: the calendar built here carries no inventory on purpose.
UNJUDGED = frozenset({"sold_out"})


@dataclass(frozen=True)
class RoomAsk:
    """One room of a booking: which room type at which rate plan, for how many guests."""

    room_type_id: int
    rate_plan_id: int
    adults: int
    children: int = 0


@dataclass(frozen=True)
class StayQuote:
    """The property (for terms and taxes) and one Quote per asked room, in the order asked."""

    property: PropertyInfo
    quotes: tuple[Quote, ...]


def quote_rooms(
    *, property_id: int, check_in: date, check_out: date, rooms: Sequence[RoomAsk], channel: str
) -> StayQuote:
    """Every room priced as ``quote`` prices it, but from one catalogue and one rates query."""
    if not rooms:
        raise invalid("rooms", "rooms_required", "Book at least one room.")
    stays = [
        validate_stay(check_in=check_in, check_out=check_out, adults=r.adults, children=r.children, units=1)
        for r in rooms
    ]
    check_channel(channel)
    for name, value in [("property_id", property_id)] + [
        (field, getattr(r, field)) for r in rooms for field in ("room_type_id", "rate_plan_id")
    ]:
        if isinstance(value, bool) or not isinstance(value, int):
            raise invalid(name, "invalid", f"{name} must be a whole number.")
    links = {
        (link.rateplan_id, link.roomtype_id): link
        for link in RatePlan.room_types.through.objects.select_related("rateplan__property", "roomtype").filter(
            rateplan_id__in={r.rate_plan_id for r in rooms},
            roomtype_id__in={r.room_type_id for r in rooms},
            rateplan__property_id=property_id,
            rateplan__property__is_active=True,
            rateplan__is_active=True,
            roomtype__is_active=True,
        )
    }
    for room in rooms:
        link = links.get((room.rate_plan_id, room.room_type_id))
        if link is None or channel not in (link.rateplan.channels or ()):
            # Unknown or unsold: the full quote finds which id is wrong and says so in its own words.
            _refuse_like_quote(property_id, room, check_in=check_in, check_out=check_out, channel=channel)
    calendar = _calendar(list(links.values()), check_in=check_in, check_out=check_out)
    prop = next(iter(calendar.properties.values()))
    if check_in < local_today(prop.timezone):
        raise invalid("check_in", "check_in_in_past", "Check-in is in the past at the hotel.")
    quotes = tuple(
        _quote(calendar, links[(room.rate_plan_id, room.room_type_id)], stay)
        for room, stay in zip(rooms, stays, strict=True)
    )
    return StayQuote(property=property_info(prop), quotes=quotes)


def _refuse_like_quote(property_id: int, room: RoomAsk, *, check_in: date, check_out: date, channel: str) -> None:
    quote(
        property_id=property_id,
        room_type_id=room.room_type_id,
        rate_plan_id=room.rate_plan_id,
        check_in=check_in,
        check_out=check_out,
        adults=room.adults,
        children=room.children,
        channel=channel,
    )
    raise invalid("rate_plan_id", "unknown_rate_plan", "This rate plan does not sell this room type here.")


def _calendar(links: list[Any], *, check_in: date, check_out: date) -> Calendar:
    """The priced (parent) plans' rates for the stay and its departure day; no inventory."""
    plans = {link.rateplan_id: link.rateplan for link in links}
    room_types = {link.roomtype_id: link.roomtype for link in links}
    prop = links[0].rateplan.property
    rates = NightRate.objects.filter(
        rate_plan_id__in={plan.parent_id or plan.pk for plan in plans.values()},
        room_type_id__in=list(room_types),
        night__gte=check_in,
        night__lte=check_out,
    )
    return Calendar(
        properties={prop.pk: prop},
        room_types=list(room_types.values()),
        plans=list(plans.values()),
        sells={(link.rateplan_id, link.roomtype_id) for link in links},
        rate_rows=rate_rows_of(list(rates.order_by().values_list(*RATE_FIELDS))),
    )


def _quote(calendar: Calendar, link: Any, stay: Stay) -> Quote:
    room_type, plan = link.roomtype, link.rateplan
    too_many = guest_problem(room_type, stay)
    if too_many:
        field = "children" if stay.children > room_type.max_children else "adults"
        raise invalid(field, "too_many_guests", too_many.message)
    return quote_of(build_offer(calendar, room_type, plan, stay), stay, left_to_the_take=UNJUDGED)
