"""The consumer registry and the dedupe/order rules every consumer gets for free.

A consumer is a named handler for some event types. The relay hands each event
to every consumer that wants it; ``consume`` makes that at-most-once per
(consumer, event) via ProcessedEvent, and in order per aggregate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from booking_platform.events.models import OutboxEvent, ProcessedEvent
from booking_platform.events.types import Event

logger = logging.getLogger(__name__)

Handler = Callable[[Event], None]


@dataclass(frozen=True)
class Consumer:
    """``transactional``: the handler only writes to the database, so its work and the
    processed marker commit together (exactly once). Otherwise the marker is written
    after the handler's side effect (at least once; a crash in between repeats it)."""

    name: str
    handler: Handler
    event_types: frozenset[str] | None = None  # None: every event
    transactional: bool = True

    def wants(self, event_type: str) -> bool:
        return self.event_types is None or event_type in self.event_types


_consumers: dict[str, Consumer] = {}


def register_consumer(
    name: str, handler: Handler, *, event_types: Iterable[str] | None = None, transactional: bool = True
) -> Consumer:
    """Apps register from AppConfig.ready(); registering the same name again replaces it."""
    consumer = Consumer(
        name=name,
        handler=handler,
        event_types=frozenset(event_types) if event_types is not None else None,
        transactional=transactional,
    )
    _consumers[name] = consumer
    return consumer


def unregister_consumer(name: str) -> None:
    _consumers.pop(name, None)


def get_consumer(name: str) -> Consumer | None:
    return _consumers.get(name)


def consumers_for(event_type: str) -> list[Consumer]:
    return [c for c in _consumers.values() if c.wants(event_type)]


def all_consumers() -> list[Consumer]:
    return list(_consumers.values())


class Outcome:
    DONE = "done"
    DUPLICATE = "duplicate"
    DEFERRED = "deferred"
    MISSING = "missing"


def unprocessed_predecessors(consumer: Consumer, row: OutboxEvent) -> bool:
    """True while an earlier event of the same aggregate waits for this consumer."""
    earlier = OutboxEvent.objects.filter(
        aggregate_type=row.aggregate_type, aggregate_id=row.aggregate_id, id__lt=row.id
    )
    if consumer.event_types is not None:
        earlier = earlier.filter(event_type__in=sorted(consumer.event_types))
    done = ProcessedEvent.objects.filter(consumer=consumer.name, event_id=OuterRef("event_id"))
    return earlier.filter(~Exists(done)).exists()


def _already(consumer: Consumer, row: OutboxEvent) -> bool:
    return ProcessedEvent.objects.filter(consumer=consumer.name, event_id=row.event_id).exists()


def consume(consumer: Consumer, event_pk: int) -> str:
    """Run one consumer on one event unless done already or an earlier one is pending."""
    row = OutboxEvent.objects.filter(pk=event_pk).first()
    if row is None:
        return Outcome.MISSING
    if _already(consumer, row):
        return Outcome.DUPLICATE
    if unprocessed_predecessors(consumer, row):
        return Outcome.DEFERRED
    event = Event.from_row(row)
    if consumer.transactional:
        try:
            with transaction.atomic():
                ProcessedEvent.objects.create(consumer=consumer.name, event_id=row.event_id)
                consumer.handler(event)
        except IntegrityError:
            if _already(consumer, row):  # a concurrent run won the marker
                return Outcome.DUPLICATE
            raise
        return Outcome.DONE
    consumer.handler(event)
    try:
        with transaction.atomic():
            ProcessedEvent.objects.create(consumer=consumer.name, event_id=row.event_id)
    except IntegrityError:
        return Outcome.DUPLICATE
    return Outcome.DONE
