"""Celery doors onto availability services; names are stable because beat and workers refer to them."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from apps.availability.services.calendar import inventory_extend
from apps.availability.services.inventory import reclaim_expired_holds

logger = logging.getLogger(__name__)


@shared_task(name="availability.extend_inventory", ignore_result=True)
def extend_inventory(days: int | None = None) -> dict[str, int]:
    """Idempotent: creates only nights that are missing, so a repeat or overlap does nothing twice."""
    result = inventory_extend(days=days or settings.AVAILABILITY_CALENDAR_DAYS)
    logger.info(
        "calendar extended",
        extra={"inventory_created": result.inventory_created, "rates_created": result.rates_created},
    )
    return {"inventory_created": result.inventory_created, "rates_created": result.rates_created}


@shared_task(name="availability.reclaim_expired_holds", ignore_result=True)
def reclaim_holds() -> int:
    """Tidy lapsed holds; correctness never depends on it (reads count them free)."""
    return reclaim_expired_holds()
