"""The kernel's hot querysets, compiled for Oracle by ``manage.py oracle_sql`` (no server needed)."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from booking_platform.db.oracle_offline import HotQuery
from booking_platform.events.models import OutboxEvent, ProcessedEvent
from booking_platform.notifications.models import Delivery


def hot_queries() -> list[HotQuery]:
    now = timezone.now()
    done = ProcessedEvent.objects.filter(consumer="notify:bookings", event_id=OuterRef("event_id"))
    return [
        HotQuery(
            "relay: unpublished ids, oldest first",
            OutboxEvent.objects.filter(published_at__isnull=True).order_by("id").values_list("id", flat=True)[:500],
        ),
        HotQuery(
            "relay: lock one unpublished event, skip locked",
            OutboxEvent.objects.select_for_update(skip_locked=True).filter(pk=1, published_at__isnull=True),
        ),
        HotQuery(
            "relay: mark published",
            OutboxEvent.objects.filter(pk=1),
            update={"published_at": now, "publish_attempts": F("publish_attempts") + 1, "last_error": ""},
        ),
        HotQuery(
            "consume: earlier unprocessed events of the aggregate",
            OutboxEvent.objects.filter(aggregate_type="booking", aggregate_id="REF", id__lt=10)
            .filter(event_type__in=["booking.confirmed"])
            .filter(~Exists(done)),
        ),
        HotQuery(
            "reconcile: published but unfinished",
            OutboxEvent.objects.filter(published_at__isnull=False, occurred_at__gte=now, occurred_at__lt=now)
            .exclude(Exists(done))
            .order_by("id")
            .values_list("id", flat=True)[:1000],
        ),
        HotQuery("send: lock one delivery", Delivery.objects.select_for_update().filter(pk=1)),
        HotQuery(
            "rescue: overdue pending deliveries",
            Delivery.objects.filter(status="pending", next_attempt_at__lt=now).order_by("id").values_list("id")[:500],
        ),
    ]
