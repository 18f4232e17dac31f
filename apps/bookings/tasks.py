"""Clock-driven booking work, run by beat on the maintenance queue. Both tasks are idempotent."""

from __future__ import annotations

import logging

from celery import shared_task

from apps.bookings.services.lifecycle import bookings_expire_due
from apps.bookings.services.reconcile import inventory_reconcile

logger = logging.getLogger(__name__)


@shared_task(name="bookings.release_expired_holds", ignore_result=True)
def release_expired_holds() -> int:
    """Every minute: lapsed holds become expired bookings and their units go back on sale."""
    expired = bookings_expire_due()
    if expired:
        logger.info("expired holds released", extra={"expired": expired})
    return expired


@shared_task(name="bookings.reconcile_inventory", ignore_result=True)
def reconcile_inventory() -> int:
    """Nightly: compare inventory counters with the bookings; drift is an ERROR for the on-call."""
    drifts = inventory_reconcile(fix=False)
    for drift in drifts:
        logger.error(
            "inventory drift",
            extra={
                "room_type_id": drift.room_type_id,
                "night": drift.night.isoformat(),
                "expected_sold": drift.expected[0],
                "expected_held": drift.expected[1],
                "actual_sold": drift.actual[0],
                "actual_held": drift.actual[1],
            },
        )
    if not drifts:
        logger.info("inventory reconciled: no drift")
    return len(drifts)
