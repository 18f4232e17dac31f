"""Celery doors onto the relay: explicit stable names, ids only, idempotent bodies."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import Task, shared_task
from django.conf import settings

from booking_platform.events import relay
from booking_platform.events.consumers import Outcome, consume, get_consumer
from booking_platform.observability import metrics

logger = logging.getLogger(__name__)


def _backoff(retries: int, *, cap: int = 60) -> int:
    return int(min(2**retries, cap))


@shared_task(name="events.relay", ignore_result=True)
def relay_event(event_pk: int) -> bool:
    """Fast path after commit: publish this one event (a no-op if a sweeper got there first)."""
    return relay.publish_one(event_pk)


@shared_task(bind=True, name="events.consume", ignore_result=True, max_retries=12)
def consume_event(self: Task, consumer_name: str, event_pk: int) -> str:
    """Run one consumer on one event; defer while an earlier event of the aggregate waits."""
    consumer = get_consumer(consumer_name)
    if consumer is None:
        logger.error("no such consumer", extra={"consumer": consumer_name, "event_pk": event_pk})
        return Outcome.MISSING
    try:
        outcome = consume(consumer, event_pk)
    except Exception as exc:
        metrics.EVENTS_CONSUMED.labels(consumer_name, "error").inc()
        logger.exception("consumer failed", extra={"consumer": consumer_name, "event_pk": event_pk})
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc
    metrics.EVENTS_CONSUMED.labels(consumer_name, outcome).inc()
    if outcome == Outcome.DEFERRED:
        logger.info("event deferred behind an earlier one", extra={"consumer": consumer_name, "event_pk": event_pk})
        if not self.request.is_eager:  # in-process there is nobody to wait for; the sweeper reconciles
            raise self.retry(countdown=_backoff(self.request.retries, cap=10))
    return outcome


@shared_task(name="events.sweep", ignore_result=True)
def sweep() -> dict[str, float]:
    """Beat, every few seconds: publish whatever the fast path missed, oldest first."""
    result = relay.relay_pending(limit=settings.EVENTS_SWEEP_BATCH)
    return {"published": result.published, "failed": result.failed, "oldest_age": result.oldest_unpublished_age}


@shared_task(name="events.reconcile", ignore_result=True)
def reconcile() -> int:
    """Beat, every EVENTS_REDISPATCH_AFTER_SECONDS: re-dispatch events a consumer never finished."""
    return relay.reconcile(
        grace=timedelta(seconds=settings.EVENTS_REDISPATCH_AFTER_SECONDS),
        window=timedelta(days=settings.EVENTS_REDISPATCH_WINDOW_DAYS),
    )


@shared_task(name="events.purge", ignore_result=True)
def purge() -> int:
    """Daily: drop published events past EVENTS_RETENTION_DAYS (and their markers)."""
    return relay.purge_events(older_than=timedelta(days=settings.EVENTS_RETENTION_DAYS))
