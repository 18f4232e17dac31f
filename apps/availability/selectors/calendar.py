"""Load the calendar for a stay in a constant number of queries, whatever the nights and room types."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from apps.availability.models import Inventory, NightRate, Property, RatePlan, RoomType
from apps.availability.selectors.inventory import with_lapsed

RATE_FIELDS = ("rate_plan_id", "room_type_id", "night", *NightRate.SETTINGS)


@dataclass
class Calendar:
    """Everything search and quote need: catalogue rows plus per-night inventory and rates."""

    properties: dict[int, Property]
    room_types: list[RoomType]
    plans: list[RatePlan]
    sells: set[tuple[int, int]]  # (rate_plan_id, room_type_id)
    free: dict[int, dict[date, int]] = field(default_factory=dict)  # room_type_id -> night -> free units
    rates: dict[tuple[int, int], dict[date, dict[str, Any]]] = field(default_factory=dict)  # (plan, room type)

    def free_on(self, room_type_id: int, night: date) -> int | None:
        return self.free.get(room_type_id, {}).get(night)

    def rates_for(self, plan: RatePlan, room_type_id: int) -> dict[date, dict[str, Any]]:
        """A derived plan reads its parent's rows (prices and restrictions follow the parent)."""
        return self.rates.get((plan.parent_id or plan.pk, room_type_id), {})


def load_calendar(
    *,
    properties: list[Property],
    check_in: date,
    check_out: date,
    room_type_ids: Collection[int] | None = None,
    rate_plan_ids: Collection[int] | None = None,
) -> Calendar:
    """Four queries: room types, plans with the room types they sell, inventory, rates."""
    property_ids = [prop.pk for prop in properties]
    room_types_qs = RoomType.objects.filter(property_id__in=property_ids, is_active=True)
    plans_qs = RatePlan.objects.filter(property_id__in=property_ids, is_active=True)
    if room_type_ids is not None:
        room_types_qs = room_types_qs.filter(pk__in=list(room_type_ids))
    if rate_plan_ids is not None:
        plans_qs = plans_qs.filter(pk__in=list(rate_plan_ids))
    room_types = list(room_types_qs.order_by("property_id", "sort_order", "id"))
    plans = list(plans_qs.prefetch_related("room_types").order_by("property_id", "id"))
    sells = {(plan.pk, room_type.pk) for plan in plans for room_type in plan.room_types.all()}
    calendar = Calendar({prop.pk: prop for prop in properties}, room_types, plans, sells)
    inventory = with_lapsed(
        Inventory.objects.filter(room_type__in=room_types_qs, night__gte=check_in, night__lt=check_out),
        timezone.now(),
    )
    free: dict[int, dict[date, int]] = defaultdict(dict)
    for row in inventory.values("room_type_id", "night", "sellable", "sold", "held", "stop_sell", "lapsed"):
        units = 0 if row["stop_sell"] else row["sellable"] - row["sold"] - row["held"] + row["lapsed"]
        free[row["room_type_id"]][row["night"]] = max(units, 0)
    calendar.free = dict(free)
    priced_plan_ids = sorted({plan.parent_id or plan.pk for plan in plans})
    rates = NightRate.objects.filter(
        rate_plan_id__in=priced_plan_ids, room_type__in=room_types_qs, night__gte=check_in, night__lte=check_out
    )
    grouped: dict[tuple[int, int], dict[date, dict[str, Any]]] = defaultdict(dict)
    for row in rates.values(*RATE_FIELDS):
        grouped[(row["rate_plan_id"], row["room_type_id"])][row["night"]] = row
    calendar.rates = dict(grouped)
    return calendar
