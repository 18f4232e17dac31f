"""Write domain events into the outbox, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from booking_platform.events.models import OutboxEvent

# Called with the event's pk after the surrounding transaction commits (the relay's fast path).
_after_commit_hooks: list[Callable[[int], None]] = []


def on_event_committed(hook: Callable[[int], None]) -> Callable[[int], None]:
    """Register the relay's fast path; the sweeper covers anything this misses."""
    _after_commit_hooks.append(hook)
    return hook


class OutboxOutsideTransaction(RuntimeError):
    """An event written outside a transaction could outlive a rolled-back change."""


def emit(
    *,
    event_type: str,
    aggregate_type: str,
    aggregate_id: str,
    payload: dict[str, Any],
    payload_version: int = 1,
    using: str = "default",
) -> OutboxEvent:
    """Record an event as part of the current transaction; publishing happens after commit."""
    if not transaction.get_connection(using).in_atomic_block:
        raise OutboxOutsideTransaction(f"emit({event_type!r}) must run inside transaction.atomic()")
    event = OutboxEvent.objects.using(using).create(
        event_type=event_type,
        aggregate_type=aggregate_type,
        aggregate_id=aggregate_id,
        payload=payload,
        payload_version=payload_version,
        occurred_at=timezone.now(),
    )
    for hook in _after_commit_hooks:
        transaction.on_commit(lambda hook=hook, pk=event.pk: hook(pk), using=using, robust=True)
    return event
