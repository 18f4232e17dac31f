"""Kernel tasks: a ping that proves a worker runs our code and sees our request id."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache

from booking_platform.observability.context import current_request_id

logger = logging.getLogger(__name__)


@shared_task(name="kernel.ping", ignore_result=True)
def ping(cache_key: str) -> str:
    """Record the request id the task ran under, so operators (and tests) can see it arrive."""
    request_id = current_request_id()
    logger.info("ping", extra={"cache_key": cache_key})
    cache.set(cache_key, request_id, timeout=300)
    return request_id
