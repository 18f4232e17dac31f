"""Celery doors onto notification sending (queue ``notifications``)."""

from __future__ import annotations

from datetime import timedelta

from celery import Task, shared_task
from django.conf import settings

from booking_platform.notifications import services
from booking_platform.notifications.channels import RetryableDeliveryError


def _backoff(retries: int) -> int:
    """5 s, 10 s, 20 s ... capped at 10 minutes."""
    return int(min(5 * 2**retries, 600))


@shared_task(bind=True, name="notifications.send", ignore_result=True, max_retries=None)
def send_delivery_task(self: Task, delivery_id: int) -> str:
    """Send one Delivery; retryable failures come back with exponential backoff, then end failed."""
    last_try = self.request.retries + 1 >= settings.NOTIFICATIONS_MAX_ATTEMPTS
    countdown = _backoff(self.request.retries)
    outcome = services.send_delivery(delivery_id, last_try=last_try, retry_in=countdown)
    if outcome == services.Outcome.RETRY:
        raise self.retry(exc=RetryableDeliveryError(f"delivery {delivery_id}"), countdown=countdown)
    return outcome


@shared_task(name="notifications.rescue", ignore_result=True)
def rescue() -> int:
    """Beat: re-enqueue pending deliveries whose message never arrived."""
    return services.rescue_pending()


@shared_task(name="notifications.purge", ignore_result=True)
def purge() -> int:
    return services.purge_deliveries(older_than=timedelta(days=settings.EVENTS_RETENTION_DAYS))
