"""Retention for what the partner API keeps per event: feed entries and finished webhook deliveries.

Both tables grow with every booking event and every partner, so the daily beat task
``partners.purge`` trims them to EVENTS_RETENTION_DAYS, as ``events.purge`` trims the outbox.
A partner whose cursor is older than that reads on from the oldest entry kept.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models, transaction
from django.utils import timezone

from apps.partners.models import FeedEntry, WebhookDelivery

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Purged:
    feed_entries: int
    webhook_deliveries: int


def partners_purge(*, older_than: timedelta, batch: int = 1000) -> Purged:
    """Delete feed entries and delivered or failed webhook deliveries older than the cutoff.

    Pending deliveries stay whatever their age: the retry sweep still owes them an answer.
    """
    cutoff = timezone.now() - older_than
    purged = Purged(
        feed_entries=_purge_oldest(FeedEntry, "occurred_at", cutoff, batch=batch),
        webhook_deliveries=_purge_oldest(
            WebhookDelivery, "created_at", cutoff, batch=batch, keep=models.Q(state=WebhookDelivery.State.PENDING)
        ),
    )
    logger.info("partners purged", extra={**purged.__dict__, "cutoff": cutoff.isoformat()})
    return purged


def _purge_oldest(
    model: type[models.Model], time_field: str, cutoff: datetime, *, batch: int, keep: models.Q | None = None
) -> int:
    """Walk the table from its oldest row by primary key (an index, unlike the time columns) and delete
    rows whose ``time_field`` is before the cutoff, batch by batch, until a batch holds none.

    Rows are appended in time order, give or take a relay backlog, so the walk ends where the kept rows
    begin; a straggler a little out of order goes on a later day.
    """
    total, after = 0, 0
    while True:
        rows = list(model.objects.filter(pk__gt=after).order_by("pk").values_list("pk", time_field)[:batch])
        expired = [pk for pk, at in rows if at < cutoff]
        if not expired:
            return total
        doomed = model.objects.filter(pk__in=expired)
        with transaction.atomic():
            total += (doomed.exclude(keep) if keep is not None else doomed).delete()[0]
        after = rows[-1][0]
