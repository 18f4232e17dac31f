"""Inventory reads that treat lapsed holds as free, and the repair door for reconciliation."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime

from django.db import transaction
from django.db.models import IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.availability.models import Allocation, Inventory
from apps.availability.services.inventory import lock_rows, reclaim_locked

logger = logging.getLogger(__name__)


def with_lapsed(queryset: QuerySet[Inventory], now: datetime) -> QuerySet[Inventory]:
    """Annotate ``lapsed``: units still counted in ``held`` whose hold already expired."""
    lapsed = (
        Allocation.objects.filter(inventory=OuterRef("pk"), state=Allocation.State.HELD, expires_at__lte=now)
        .order_by()
        .values("inventory")
        .annotate(units_sum=Sum("units"))
        .values("units_sum")
    )
    return queryset.annotate(lapsed=Coalesce(Subquery(lapsed, output_field=IntegerField()), Value(0)))


def inventory_counts(*, start: date, end: date, now: datetime | None = None) -> dict[tuple[int, date], tuple[int, int]]:
    """(sold, live held) per (room_type_id, night) for nights in [start, end); holds lapsed by ``now`` are free.

    Reconciliation passes the instant it judged the bookings at, so a hold lapsing between the two reads
    is not reported as drift.
    """
    rows = with_lapsed(Inventory.objects.filter(night__gte=start, night__lt=end), now or timezone.now())
    return {
        (row["room_type_id"], row["night"]): (row["sold"], row["held"] - row["lapsed"])
        for row in rows.values("room_type_id", "night", "sold", "held", "lapsed")
    }


def repair_inventory_counts(*, counts: Mapping[tuple[int, date], tuple[int, int]]) -> int:
    """Set sold/held to what bookings say (reconciliation found drift); returns rows changed.

    Lapsed holds are first swept on the rows, so ``held`` is compared like for like.
    A night where bookings exceed sellable gets its sellable raised to fit and a warning.
    """
    if not counts:
        return 0
    now = timezone.now()
    nights_by_type: dict[int, list[date]] = defaultdict(list)
    for room_type_id, night in counts:
        nights_by_type[room_type_id].append(night)
    condition = Q(pk__in=[])
    for room_type_id, nights in nights_by_type.items():
        condition |= Q(room_type_id=room_type_id, night__in=nights)
    changed = 0
    with transaction.atomic():
        rows = lock_rows(condition)
        freed = reclaim_locked([row["id"] for row in rows], now)
        for row in rows:
            sold, held = counts[(row["room_type_id"], row["night"])]
            current_held = row["held"] - freed.get(row["id"], 0)
            if (row["sold"], current_held) == (sold, held):
                continue
            if sold + held > row["sellable"]:
                logger.warning(
                    "inventory overbooked", extra={"room_type_id": row["room_type_id"], "night": str(row["night"])}
                )
            Inventory.objects.filter(pk=row["id"]).update(
                sold=sold, held=held, sellable=max(row["sellable"], sold + held)
            )
            changed += 1
    return changed
