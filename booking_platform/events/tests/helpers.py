"""Test consumers and broker switches for the relay tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction

from booking_platform.events.consumers import Consumer, register_consumer, unregister_consumer
from booking_platform.events.models import OutboxEvent
from booking_platform.events.outbox import emit
from booking_platform.events.types import Event

DEAD_BROKER = "redis://127.0.0.1:9/0"  # discard port: nothing listens


@dataclass
class Recorder:
    """A consumer that remembers what it saw, optionally failing first."""

    name: str = "test-recorder"
    seen: list[tuple[str, str]] = field(default_factory=list)
    fail_on: set[str] = field(default_factory=set)

    def __call__(self, event: Event) -> None:
        if event.event_type in self.fail_on:
            raise RuntimeError(f"refusing {event.event_type}")
        self.seen.append((event.aggregate_id, event.event_type))


@contextmanager
def recording(
    *, event_types: list[str] | None = None, transactional: bool = True
) -> Iterator[tuple[Recorder, Consumer]]:
    recorder = Recorder()
    consumer = register_consumer(
        recorder.name, recorder, event_types=event_types or ["test.one", "test.two"], transactional=transactional
    )
    try:
        yield recorder, consumer
    finally:
        unregister_consumer(recorder.name)


def emit_committed(event_type: str = "test.one", aggregate_id: str = "AGG-1", **payload: object) -> OutboxEvent:
    with transaction.atomic():
        return emit(event_type=event_type, aggregate_type="test", aggregate_id=aggregate_id, payload=dict(payload))


@contextmanager
def broker(url: str, *, eager: bool = False) -> Iterator[None]:
    """Point this process's Celery app at another broker (fresh connection pools), then restore.

    Sets the write URL too: a CELERY_BROKER_URL in the environment beats ``conf.broker_url``.
    """
    from celery import current_app

    app = current_app._get_current_object()
    saved = (app.conf.broker_url, app.conf.broker_write_url, app.conf.task_always_eager)
    pools = (app._pool, app.amqp._producer_pool)
    app.conf.broker_url = app.conf.broker_write_url = url
    app.conf.task_always_eager = eager
    app._pool, app.amqp._producer_pool = None, None
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.broker_write_url, app.conf.task_always_eager = saved
        app._pool, app.amqp._producer_pool = pools
