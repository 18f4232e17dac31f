"""Housekeeping for the idempotency store."""

from __future__ import annotations

from celery import shared_task

from booking_platform.api.idempotency import purge_expired


@shared_task(name="api.purge_idempotency", ignore_result=True)
def purge_idempotency() -> int:
    return purge_expired()
