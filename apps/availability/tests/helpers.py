"""Availability test helpers: counters as tuples, so tests assert exact values."""

from __future__ import annotations

from datetime import date

from apps.availability.models import Inventory


def counters(room_type_id: int) -> dict[date, tuple[int, int, int]]:
    """(sellable, sold, held) per night for a room type."""
    rows = Inventory.objects.filter(room_type_id=room_type_id).order_by("night")
    return {row.night: (row.sellable, row.sold, row.held) for row in rows}
