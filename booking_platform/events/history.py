"""Questions consumers ask about an aggregate's past, answered from the outbox."""

from __future__ import annotations

from booking_platform.events.models import OutboxEvent
from booking_platform.events.types import Event


def earlier_event_exists(event: Event, event_type: str) -> bool:
    """Did this aggregate emit ``event_type`` before ``event``? (e.g. was a cancelled booking ever confirmed)"""
    return OutboxEvent.objects.filter(
        aggregate_type=event.aggregate_type, aggregate_id=event.aggregate_id, event_type=event_type, id__lt=event.pk
    ).exists()
