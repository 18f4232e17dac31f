"""Inventory reads that treat lapsed holds as free. Reads only: the repair door is in services/inventory.py."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.availability.models import Allocation, Inventory


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


def lapsed_holds(rows: QuerySet[Inventory], now: datetime) -> dict[int, int]:
    """Units of expired holds still counted in ``held``, per inventory row of ``rows`` (rows with none left out).

    For reads that subtract them from ``held`` and ask only when a row holds units: a hold always counts
    its units in ``held`` (kept >= 0 by the database), so with nothing held nothing has lapsed.
    """
    lapsed: dict[int, int] = {}
    for inventory_id, units in Allocation.objects.filter(
        inventory__in=rows.order_by().values("pk"), state=Allocation.State.HELD, expires_at__lte=now
    ).values_list("inventory_id", "units"):
        lapsed[inventory_id] = lapsed.get(inventory_id, 0) + units
    return lapsed


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
