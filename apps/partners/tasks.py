"""Celery doors onto webhook delivery: right after the event's commit, and the retry sweep."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from apps.partners.delivery import deliveries_send_due, delivery_attempt
from apps.partners.models import WebhookDelivery
from apps.partners.retention import partners_purge


@shared_task(name="partners.deliver_event", ignore_result=True)
def deliver_event(event_id: str) -> int:
    """First attempt for each webhook's delivery of one event (ids, not instances, cross the broker)."""
    pending = WebhookDelivery.objects.filter(event_id=event_id, state=WebhookDelivery.State.PENDING)
    return sum(1 for pk in pending.values_list("pk", flat=True) if delivery_attempt(delivery_id=pk) is not None)


@shared_task(name="partners.retry_webhooks", ignore_result=True)
def retry_webhooks() -> int:
    return deliveries_send_due()


@shared_task(name="partners.purge", ignore_result=True)
def purge() -> dict[str, int]:
    """Daily: feed entries and finished webhook deliveries past EVENTS_RETENTION_DAYS."""
    return partners_purge(older_than=timedelta(days=settings.EVENTS_RETENTION_DAYS)).__dict__
