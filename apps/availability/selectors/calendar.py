"""Load the calendar for a stay in a constant number of queries, whatever the nights and room types."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from apps.availability.models import Inventory, NightRate, Property, RatePlan, RoomType
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
# Only what search and quote read of a room type (RoomTypeInfo, guest limits, ordering).
ROOM_TYPE_FIELDS = (
    "id",
    "property_id",
    "code",
    "name",
    "base_adults",
    "max_adults",
    "max_children",
    "max_occupancy",
    "sort_order",
)
INVENTORY_FIELDS = ("room_type_id", "night", "sellable", "sold", "held", "stop_sell")


@dataclass
class Calendar:
    """Everything search and quote need: catalogue rows plus per-night inventory and rates.

    Rates come either as ``rates`` (rows as dicts, for callers that build a calendar by hand) or as
    ``rate_rows`` (rows as tuples in RATE_FIELDS order, what ``load_calendar`` reads); each view is
    derived from the other on first use, so ``rates_for`` and offers work with either.
    """

    properties: dict[int, Property]
    room_types: list[RoomType]
    plans: list[RatePlan]
    sells: set[tuple[int, int]]  # (rate_plan_id, room_type_id)
    free: dict[int, dict[date, int]] = field(default_factory=dict)  # room_type_id -> night -> free units
    rates: dict[tuple[int, int], dict[date, dict[str, Any]]] = field(default_factory=dict)  # (plan, room type)
    rate_rows: dict[tuple[int, int], dict[date, tuple[Any, ...]]] = field(default_factory=dict)
    rate_fields: tuple[str, ...] = RATE_FIELDS  # what ``rate_rows`` hold: all of RATE_FIELDS, or all but EXTRA_PRICES
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)  # per-calendar computed values

    def free_on(self, room_type_id: int, night: date) -> int | None:
        return self.free.get(room_type_id, {}).get(night)

    def rates_for(self, plan: RatePlan, room_type_id: int) -> dict[date, dict[str, Any]]:
        """A derived plan reads its parent's rows (prices and restrictions follow the parent)."""
        key = (plan.parent_id or plan.pk, room_type_id)
        if key not in self.rates and key in self.rate_rows:
            rows = sorted(self.rate_rows[key].items())
            self.rates[key] = {night: dict(zip(self.rate_fields, row, strict=True)) for night, row in rows}
        return self.rates.get(key, {})

    def rows_for(self, plan: RatePlan, room_type_id: int) -> dict[date, tuple[Any, ...]]:
        """``rates_for`` as tuples in RATE_FIELDS order (read by index: PRICE, CTA, ...)."""
        key = (plan.parent_id or plan.pk, room_type_id)
        if key not in self.rate_rows and key in self.rates:
            self.rate_rows[key] = {
                night: tuple(row[name] for name in RATE_FIELDS) for night, row in self.rates[key].items()
            }
        return self.rate_rows.get(key, {})


def load_calendar(
    *,
    properties: list[Property],
    check_in: date,
    check_out: date,
    room_type_ids: Collection[int] | None = None,
    rate_plan_ids: Collection[int] | None = None,
    guests: tuple[int, int] | None = None,
) -> Calendar:
    """Five queries (six while nights have units on hold): room types, plans, the room types each plan
    sells, inventory (and lapsed holds), rates.

    Rows are read as tuples of the columns used, without ORDER BY where they land in dicts anyway.
    ``guests`` (adults, children per room), when given, leaves out the extra-guest prices if no room
    type charges any for them; offers of other guest counts then need a calendar of their own.
    """
    property_ids = [prop.pk for prop in properties]
    room_type_filter: dict[str, Any] = {"property_id__in": property_ids, "is_active": True}
    plan_filter: dict[str, Any] = {"property_id__in": property_ids, "is_active": True}
    if room_type_ids is not None:
        room_type_filter["pk__in"] = list(room_type_ids)
    if rate_plan_ids is not None:
        plan_filter["pk__in"] = list(rate_plan_ids)
    room_types_qs = RoomType.objects.filter(**room_type_filter)
    room_types = list(room_types_qs.only(*ROOM_TYPE_FIELDS).order_by("property_id", "sort_order", "id"))
    plans = list(RatePlan.objects.filter(**plan_filter).order_by("property_id", "id"))
    room_type_pks = [room_type.pk for room_type in room_types]
    sells: set[tuple[int, int]] = set()
    if plans and room_type_pks:
        sells = set(
            RatePlan.room_types.through.objects.filter(
                rateplan_id__in=[plan.pk for plan in plans], roomtype_id__in=room_type_pks
            ).values_list("rateplan_id", "roomtype_id")
        )
    calendar = Calendar({prop.pk: prop for prop in properties}, room_types, plans, sells)
    if not room_type_pks:
        return calendar
    calendar.free = _free_units(room_types_qs, check_in=check_in, check_out=check_out)
    priced_plan_ids = sorted({plan.parent_id or plan.pk for plan in plans})
    if not priced_plan_ids:
        return calendar
    if guests is not None:
        adults, children = guests
        if not children and all(adults <= room_type.base_adults for room_type in room_types):
            calendar.rate_fields = RATE_FIELDS[: -len(EXTRA_PRICES)]
    rates = NightRate.objects.filter(
        rate_plan_id__in=priced_plan_ids, room_type__in=room_types_qs, night__gte=check_in, night__lte=check_out
    )
    grouped: dict[tuple[int, int], dict[date, tuple[Any, ...]]] = {}
    for row in rates.order_by().values_list(*calendar.rate_fields):
        key = (row[0], row[1])
        nights = grouped.get(key)
        if nights is None:
            nights = grouped[key] = {}
        nights[row[2]] = row
    calendar.rate_rows = grouped
    return calendar


def _free_units(room_types: QuerySet[RoomType], *, check_in: date, check_out: date) -> dict[int, dict[date, int]]:
    """Free units per room type and night: sellable less sold and held, where lapsed holds count as free.

    The rows come as plain columns; the lapsed holds are summed in a second query only when a night
    of the stay has units on hold (a hold always counts its units in ``held``), so a search makes one
    query for inventory on a quiet calendar and two while guests hold rooms.
    """
    inventory = Inventory.objects.filter(room_type__in=room_types, night__gte=check_in, night__lt=check_out)
    rows = list(inventory.order_by().values_list("id", *INVENTORY_FIELDS))
    lapsed = lapsed_holds(inventory, timezone.now()) if any(row[5] for row in rows) else {}
    free: dict[int, dict[date, int]] = {}
    for pk, room_type_id, night, sellable, sold, held, stop_sell in rows:
        units = 0 if stop_sell else sellable - sold - held + lapsed.get(pk, 0)
        nights = free.get(room_type_id)
        if nights is None:
            nights = free[room_type_id] = {}
        nights[night] = units if units > 0 else 0
    return free
