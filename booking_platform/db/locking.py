"""Row locks that every backend accepts.

Oracle refuses ``SELECT ... FOR UPDATE`` with ``FETCH FIRST`` (what ``.first()`` and
slices compile to), so a single row is locked with an unsliced query on a unique key.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def lock_one(queryset: models.QuerySet[M]) -> M | None:
    """Lock and return the one row ``queryset`` selects by a unique key, or None."""
    rows = list(queryset.select_for_update())
    if len(rows) > 1:
        raise ValueError(f"lock_one expects a unique filter, got {len(rows)} {queryset.model.__name__} rows")
    return rows[0] if rows else None
