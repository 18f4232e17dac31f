"""One row per message we owe someone: the at-most-once ledger for email and SMS."""

from __future__ import annotations

from django.db import models


class Delivery(models.Model):
    """A message for one (event, recipient, channel), sent at most once.

    The row is locked while sending, so a redelivered task waits and then sees
    ``sent``. The recipient address is personal data: ``forget_recipient`` scrubs it.
    """

    class Status(models.TextChoices):
        PENDING = "pending"
        SENT = "sent"
        FAILED = "failed"

    class Channel(models.TextChoices):
        EMAIL = "email"
        SMS = "sms"

    event_id = models.UUIDField()
    channel = models.CharField(max_length=8, choices=Channel.choices)
    recipient = models.CharField(max_length=254)
    kind = models.CharField(max_length=64, help_text="Which renderer builds the message.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event_id", "recipient", "channel"], name="delivery_once"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["recipient"], name="delivery_recipient"),
            models.Index(fields=["created_at"], name="delivery_created"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.kind} [{self.status}]"
