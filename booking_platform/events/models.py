from __future__ import annotations

import uuid

from django.db import models


class OutboxEvent(models.Model):
    """A domain event, written in the same transaction as the change it describes.

    The row is the source of truth: the relay publishes it after commit and the
    sweeper republishes whatever is still unpublished, so an event is never lost.
    """

    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField(max_length=64)
    aggregate_type = models.CharField(max_length=32)
    aggregate_id = models.CharField(max_length=64)
    payload = models.JSONField()
    payload_version = models.PositiveSmallIntegerField(default=1)
    occurred_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)
    publish_attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["published_at", "id"], name="outbox_unpublished"),
            models.Index(fields=["aggregate_type", "aggregate_id", "id"], name="outbox_aggregate"),
            models.Index(fields=["occurred_at"], name="outbox_occurred"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.aggregate_type}:{self.aggregate_id}"


class ProcessedEvent(models.Model):
    """Marks that one consumer has handled one event, so redelivery and replay are no-ops.

    The unique (consumer, event_id) pair is the dedupe: a second insert fails.
    """

    consumer = models.CharField(max_length=64)
    event_id = models.UUIDField()
    processed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consumer", "event_id"], name="processed_event_once")]
        indexes = [models.Index(fields=["processed_at"], name="processed_event_at")]

    def __str__(self) -> str:
        return f"{self.consumer}:{self.event_id}"
