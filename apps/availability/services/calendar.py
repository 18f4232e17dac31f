"""Keep the calendar open ahead: inventory and default prices for nights not yet created."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.availability.models import Inventory, NightRate, Property, RatePlan, RoomType, limits
from apps.availability.selectors.search import local_today
from apps.availability.services.ari import rooms_in_service
from booking_platform.errors import ValidationFailed


@dataclass(frozen=True)
class ExtendResult:
    inventory_created: int
    rates_created: int


def _extend_room_type(room_type: RoomType, plans: list[RatePlan], nights: list, sellable: int) -> tuple[int, int]:
    """Create only what is missing, so staff changes are never overwritten."""
    span = {"night__gte": nights[0], "night__lte": nights[-1]}
    have = set(Inventory.objects.filter(room_type=room_type, **span).values_list("night", flat=True))
    new_inventory = [Inventory(room_type=room_type, night=n, sellable=sellable) for n in nights if n not in have]
    Inventory.objects.bulk_create(new_inventory, batch_size=500)
    rates = 0
    for plan in plans:
        priced = set(
            NightRate.objects.filter(rate_plan=plan, room_type=room_type, **span).values_list("night", flat=True)
        )
        new_rates = [
            NightRate(
                rate_plan=plan,
                room_type=room_type,
                night=night,
                price=room_type.default_price,
                extra_adult_price=room_type.default_extra_adult_price,
                extra_child_price=room_type.default_extra_child_price,
            )
            for night in nights
            if night not in priced
        ]
        NightRate.objects.bulk_create(new_rates, batch_size=500)
        rates += len(new_rates)
    return len(new_inventory), rates


def room_types_to_extend(property_ids: list[int] | None = None) -> list[RoomType]:
    properties = Property.objects.filter(is_active=True)
    if property_ids is not None:
        properties = properties.filter(pk__in=property_ids)
    return list(RoomType.objects.filter(property__in=properties, is_active=True).select_related("property"))


def inventory_extend(
    *,
    days: int,
    now: datetime | None = None,
    room_types: list[RoomType] | None = None,
    progress: Callable[[], None] | None = None,
) -> ExtendResult:
    """Open ``days`` nights from each property's local today; safe to run twice at once."""
    most = min(3 * 366, limits.horizon_days() + 1)  # never open nights beyond the ARI horizon
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= most:
        raise ValidationFailed(f"Days must be between 1 and {most}.", code="invalid_days", extra={"field": "days"})
    now = now or timezone.now()
    room_types = room_types_to_extend() if room_types is None else room_types
    sellable = rooms_in_service([room_type.pk for room_type in room_types])
    plans = list(RatePlan.objects.filter(parent__isnull=True, is_active=True).prefetch_related("room_types"))
    inventory = rates = 0
    for room_type in room_types:
        start = local_today(room_type.property.timezone, now)
        nights = [start + timedelta(days=offset) for offset in range(days)]
        selling = [plan for plan in plans if room_type in plan.room_types.all()]
        for attempt in range(2):
            try:
                with transaction.atomic():
                    made = _extend_room_type(room_type, selling, nights, sellable.get(room_type.pk, 0))
                break
            except IntegrityError:
                if attempt:  # a concurrent run created the same nights twice in a row: give up loudly
                    raise
        inventory, rates = inventory + made[0], rates + made[1]
        if progress:
            progress()
    return ExtendResult(inventory, rates)
