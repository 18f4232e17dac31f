"""Publish outbox rows: the after-commit fast path, the sweeper, reconcile, replay, purge.

"Publish" means: hand the event to every consumer that wants it (one
``events.consume`` task each) and stamp ``published_at``, in one transaction
that holds the row lock, so two sweepers never work the same row. If the broker
is down the transaction rolls back and the row waits for the next sweep.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from booking_platform.events.consumers import Consumer, all_consumers, consumers_for
from booking_platform.events.models import OutboxEvent, ProcessedEvent
from booking_platform.observability import metrics

logger = logging.getLogger(__name__)


def dispatch(row: OutboxEvent, consumers: list[Consumer] | None = None) -> int:
    """Enqueue one consume task per interested consumer; raises when the broker refuses."""
    from booking_platform.events.tasks import consume_event

    targets = consumers if consumers is not None else consumers_for(row.event_type)
    for consumer in targets:
        consume_event.apply_async(args=[consumer.name, row.pk], retry=False)
    return len(targets)


def publish_one(event_pk: int) -> bool:
    """Publish one unpublished event under a row lock; False if gone, done, or locked."""
    try:
        with transaction.atomic():
            rows = list(
                OutboxEvent.objects.select_for_update(skip_locked=True).filter(pk=event_pk, published_at__isnull=True)
            )
            if not rows:
                return False
            row = rows[0]
            dispatch(row)
            row.published_at = timezone.now()
            row.publish_attempts = F("publish_attempts") + 1
            row.last_error = ""
            row.save(update_fields=["published_at", "publish_attempts", "last_error"])
    except Exception as exc:
        _record_failure(event_pk, exc)
        raise
    metrics.EVENTS_PUBLISHED.inc()
    logger.info("event published", extra={"event_pk": event_pk})
    return True


def _record_failure(event_pk: int, exc: BaseException) -> None:
    metrics.EVENTS_PUBLISH_FAILED.inc()
    error = f"{type(exc).__name__}: {exc}"[:2000]
    logger.warning("event publish failed", extra={"event_pk": event_pk, "error": error})
    OutboxEvent.objects.filter(pk=event_pk, published_at__isnull=True).update(
        publish_attempts=F("publish_attempts") + 1, last_error=error
    )


@dataclass
class SweepResult:
    published: int = 0
    failed: int = 0
    redispatched: int = 0
    oldest_unpublished_age: float = 0.0


def relay_pending(*, limit: int = 500) -> SweepResult:
    """Publish unpublished events, oldest first; stop at the first failure (the broker is down)."""
    result = SweepResult()
    ids = list(
        OutboxEvent.objects.filter(published_at__isnull=True).order_by("id").values_list("id", flat=True)[:limit]
    )
    for pk in ids:
        try:
            if publish_one(pk):
                result.published += 1
        except Exception:  # noqa: BLE001 - recorded on the row; the next sweep retries
            result.failed += 1
            break
    result.oldest_unpublished_age = metrics.oldest_unpublished_age()
    log = logger.warning if result.failed else logger.info
    log(
        "relay sweep",
        extra={
            "published": result.published,
            "failed": result.failed,
            "oldest_unpublished_age_s": round(result.oldest_unpublished_age, 3),
        },
    )
    return result


def unprocessed_for(consumer: Consumer, *, since: datetime, until: datetime) -> list[int]:
    """Published events in a window that this consumer has not marked done, oldest first."""
    qs = OutboxEvent.objects.filter(published_at__isnull=False, occurred_at__gte=since, occurred_at__lt=until).exclude(
        Exists(ProcessedEvent.objects.filter(consumer=consumer.name, event_id=OuterRef("event_id")))
    )
    if consumer.event_types is not None:
        qs = qs.filter(event_type__in=sorted(consumer.event_types))
    return list(qs.order_by("id").values_list("id", flat=True)[:1000])


def reconcile(*, grace: timedelta, window: timedelta) -> int:
    """Re-dispatch published events a consumer never finished (a lost message, a dead broker)."""
    now = timezone.now()
    count = 0
    for consumer in all_consumers():
        for pk in unprocessed_for(consumer, since=now - window, until=now - grace):
            row = OutboxEvent.objects.get(pk=pk)
            dispatch(row, [consumer])
            count += 1
    if count:
        logger.warning("relay reconcile re-dispatched events", extra={"count": count})
    return count


def replay(*, since: datetime, until: datetime, consumer_names: list[str], force: bool = False) -> int:
    """Offer a time range again to some consumers; their markers skip what they already did.

    ``force`` forgets the markers first, so the events are re-sent (readers dedupe by event id).
    """
    consumers = [c for c in all_consumers() if c.name in consumer_names]
    rows = OutboxEvent.objects.filter(occurred_at__gte=since, occurred_at__lt=until).order_by("id")
    count = 0
    for row in rows.iterator():
        wanted = [c for c in consumers if c.wants(row.event_type)]
        if force and wanted:
            ProcessedEvent.objects.filter(consumer__in=[c.name for c in wanted], event_id=row.event_id).delete()
        count += dispatch(row, wanted)
    logger.info("replay", extra={"since": since.isoformat(), "until": until.isoformat(), "dispatched": count})
    return count


def purge_events(*, older_than: timedelta, batch: int = 1000) -> int:
    """Delete published events (and their markers) past retention; unpublished ones stay."""
    cutoff = timezone.now() - older_than
    total = 0
    while True:
        rows = list(
            OutboxEvent.objects.filter(occurred_at__lt=cutoff, published_at__isnull=False)
            .order_by("id")
            .values_list("id", "event_id")[:batch]
        )
        if not rows:
            break
        with transaction.atomic():
            ProcessedEvent.objects.filter(event_id__in=[e for _, e in rows]).delete()
            OutboxEvent.objects.filter(id__in=[pk for pk, _ in rows]).delete()
        total += len(rows)
    logger.info("events purged", extra={"count": total, "cutoff": cutoff.isoformat()})
    return total
