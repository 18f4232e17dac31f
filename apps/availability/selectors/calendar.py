"""Load the calendar for a stay in a constant number of queries, whatever the nights and room types.

Search reads a few thousand rows per call (50 room types x 2 plans x 30 nights), so rows are kept as
the tuples the database returns and indexed with C-level tools (``map``, ``zip``, ``itemgetter``)
rather than per-row Python code.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from itertools import compress, repeat
from operator import itemgetter, or_, sub
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from apps.availability.models import Inventory, NightRate, Property, RatePlan, RoomType
from apps.availability.selectors.catalogue_cache import cached_catalogue, read_catalogue
from apps.availability.selectors.inventory import lapsed_holds

EXTRA_PRICES = ("extra_adult_price", "extra_child_price")
# Every setting of a night, the extra-guest prices last: a search that charges no extra guest reads
# rows without them (each price is a Decimal to build, the bulk of reading a row).
RATE_FIELDS = (
    "rate_plan_id",
    "room_type_id",
    "night",
    *(name for name in NightRate.SETTINGS if name not in EXTRA_PRICES),
    *EXTRA_PRICES,
)
# Positions in a rate row (a tuple in RATE_FIELDS order): offers read rows by index, not by name.
PRICE, EXTRA_ADULT, EXTRA_CHILD, MIN_STAY_ARRIVAL, MIN_STAY_THROUGH, MAX_STAY, CTA, CTD, STOP_SELL = (
    RATE_FIELDS.index(name) for name in NightRate.SETTINGS
)
INVENTORY_FIELDS = ("id", "room_type_id", "night", "sellable", "sold", "held", "stop_sell")
_RATE_KEY = itemgetter(0, 1, 2)  # (rate_plan_id, room_type_id, night) of a rate row


@dataclass
class Calendar:
    """Everything search, quote and pricing need: catalogue rows plus per-night inventory and rates.

    ``units``: free units per (room type, night). ``rate_rows``: one row per (plan, room type, night),
    a tuple in ``rate_fields`` order read by index (PRICE, CTA, ...), as ``rate_rows_of`` keys them.
    """

    properties: dict[int, Property]
    room_types: Sequence[RoomType]
    plans: Sequence[RatePlan]
    sells: AbstractSet[tuple[int, int]]  # (rate_plan_id, room_type_id)
    units: dict[tuple[int, date], int] = field(default_factory=dict)  # (room_type_id, night) -> free units
    rate_rows: dict[tuple[int, int, date], tuple[Any, ...]] = field(default_factory=dict)  # (plan, room type, night)
    rate_fields: tuple[str, ...] = RATE_FIELDS  # what ``rate_rows`` hold: all of RATE_FIELDS, or all but EXTRA_PRICES
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)  # per-calendar computed values

    def free_units(self, room_type_id: int, nights: Sequence[date]) -> list[int]:
        """Free units on each night, 0 where the calendar has no row."""
        return list(map(self.units.get, zip(repeat(room_type_id), nights), repeat(0)))

    def rows_on(self, plan: RatePlan, room_type_id: int, nights: Sequence[date]) -> list[tuple[Any, ...] | None]:
        """The rate row of each night (None where there is none). A derived plan reads its parent's
        rows: prices and restrictions follow the parent."""
        source = plan.parent_id or plan.id
        return list(map(self.rate_rows.get, zip(repeat(source), repeat(room_type_id), nights)))


def rate_rows_of(rows: list[tuple[Any, ...]]) -> dict[tuple[int, int, date], tuple[Any, ...]]:
    """Rate rows (tuples starting rate_plan_id, room_type_id, night, as RATE_FIELDS) by that key."""
    return dict(zip(map(_RATE_KEY, rows), rows, strict=True))


def load_calendar(
    *,
    properties: list[Property],
    check_in: date,
    check_out: date,
    room_type_ids: Collection[int] | None = None,
    rate_plan_ids: Collection[int] | None = None,
    guests: tuple[int, int] | None = None,
    cached: bool = False,
) -> Calendar:
    """Five queries (six while nights have units on hold): room types, plans, the room types each plan
    sells, inventory (and lapsed holds), rates. Two (three) when the catalogue comes from the copy.

    Rows are read as tuples of the columns used, without ORDER BY where they land in dicts anyway.
    ``guests`` (adults, children per room), when given, leaves out the extra-guest prices if no room
    type charges any for them; offers of other guest counts then need a calendar of their own.
    ``cached`` (search: properties loaded with their catalogue stamp, no id filters) takes the first
    three from the process's copy of the catalogue while it is current.
    """
    property_ids = [prop.pk for prop in properties]
    # Inventory and rates join the room type rather than list its ids: the planner then walks the
    # (room type, night) indexes per room type, with or without table statistics.
    by_room_type: dict[str, Any] = {"room_type__property_id__in": property_ids, "room_type__is_active": True}
    if room_type_ids is not None:
        by_room_type["room_type_id__in"] = list(room_type_ids)
    if cached and room_type_ids is None and rate_plan_ids is None:
        catalogue = cached_catalogue(properties)
    else:
        catalogue = read_catalogue(property_ids, room_type_ids=room_type_ids, rate_plan_ids=rate_plan_ids)
    room_types, plans = catalogue.room_types, catalogue.plans
    calendar = Calendar({prop.pk: prop for prop in properties}, room_types, plans, catalogue.sells)
    if not room_types:
        return calendar
    calendar.units = _free_units(
        Inventory.objects.filter(**by_room_type, night__gte=check_in, night__lt=check_out).order_by()
    )
    priced_plan_ids = sorted({plan.parent_id or plan.pk for plan in plans})
    if not priced_plan_ids:
        return calendar
    if guests is not None:
        adults, children = guests
        if not children and all(adults <= room_type.base_adults for room_type in room_types):
            calendar.rate_fields = RATE_FIELDS[: -len(EXTRA_PRICES)]
    rows = list(
        NightRate.objects.filter(
            **by_room_type, rate_plan_id__in=priced_plan_ids, night__gte=check_in, night__lte=check_out
        )
        .order_by()
        .values_list(*calendar.rate_fields)
    )
    calendar.rate_rows = rate_rows_of(rows)
    return calendar


def _free_units(inventory: QuerySet[Inventory]) -> dict[tuple[int, date], int]:
    """Free units per (room type, night): sellable less sold and held, where lapsed holds count as free.

    Column-wise: most rows neither stop sales nor hold units, and their free units are one C-level
    subtraction each. Lapsed holds are summed in a second query only when a night of the stay has
    units on hold (a hold always counts its units in ``held``).
    """
    rows = list(inventory.values_list(*INVENTORY_FIELDS))
    if not rows:
        return {}
    ids, room_type_ids, nights, sellable, sold, held, stop_sell = zip(*rows, strict=True)
    units = list(map(sub, map(sub, sellable, sold), held))
    special = list(compress(range(len(rows)), map(or_, stop_sell, held)))  # stop-sell rows and rows holding units
    if special:
        lapsed = lapsed_holds(inventory, timezone.now()) if any(held) else {}
        for index in special:
            units[index] = 0 if stop_sell[index] else units[index] + lapsed.get(ids[index], 0)
    return dict(zip(zip(room_type_ids, nights, strict=True), map(max, units, repeat(0)), strict=True))
