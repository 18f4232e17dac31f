"""The idempotency store: one row per (owner, Idempotency-Key), claimed before the work and
finished in the same transaction as the work, so a retry either replays or is told to wait."""

from __future__ import annotations

from django.db import models


class IdempotencyRecord(models.Model):
    class State(models.TextChoices):
        IN_FLIGHT = "in_flight", "In flight"
        DONE = "done", "Done"

    owner = models.CharField(max_length=64, help_text="Who sent the key, e.g. 'partner:3'; keys are per owner.")
    idempotency_key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.IN_FLIGHT)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    locked_at = models.DateTimeField(help_text="When the current attempt claimed the key (its lock token).")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "idempotency_key"], name="idempotency_owner_key"),
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created")]

    def __str__(self) -> str:
        return f"{self.owner} {self.idempotency_key}"
