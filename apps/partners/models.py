"""Partners (aggregators, channel managers), their API keys and their webhooks.

Bookings, properties and events of other contexts are referenced by plain ids, never foreign keys.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


class Scope(models.TextChoices):
    AVAILABILITY_READ = "availability:read", "Search properties and availability"
    BOOKINGS_READ = "bookings:read", "Read own bookings and events"
    BOOKINGS_WRITE = "bookings:write", "Hold, book, modify and cancel"
    WEBHOOKS_MANAGE = "webhooks:manage", "Register webhooks and read deliveries"


def all_scopes() -> list[str]:
    return list(Scope.values)


class Partner(models.Model):
    """Who calls the API. ``is_authenticated`` lets DRF treat a partner as its request.user."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=50, unique=True)
    is_active = models.BooleanField(default=True)
    scopes = models.JSONField(default=all_scopes, blank=True, help_text="Any of " + ", ".join(Scope.values))
    all_properties = models.BooleanField(default=False, help_text="May sell every property, now and future.")
    property_ids = models.JSONField(default=list, blank=True, help_text="Property ids it may sell.")
    rate_limit_per_minute = models.PositiveIntegerField(
        null=True, blank=True, help_text="Requests per minute; empty: API_PARTNER_RATE_PER_MINUTE."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    feed_seq = models.PositiveBigIntegerField(
        default=0, db_default=0, editable=False, help_text="The last seq handed to this partner's event feed."
    )

    is_authenticated = True  # DRF's IsAuthenticated asks request.user this
    is_anonymous = False

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """What staff type in admin: known scopes only, property ids as a list of whole numbers."""
        scopes = self.scopes if isinstance(self.scopes, list) else None
        if scopes is None or any(s not in Scope.values for s in scopes):
            raise ValidationError({"scopes": f"A list of: {', '.join(Scope.values)}."})
        ids = self.property_ids if isinstance(self.property_ids, list) else None
        if ids is None or any(not isinstance(i, int) or isinstance(i, bool) or i < 1 for i in ids):
            raise ValidationError({"property_ids": "A list of property ids, e.g. [1, 2]."})

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    def may_sell(self, property_id: int) -> bool:
        return self.all_properties or property_id in (self.property_ids or [])


class ApiKey(models.Model):
    """A key is shown once; only its SHA-256 is kept. The prefix finds the row and tells keys apart."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="api_keys")
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Set when rotated: the overlap ends here.")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.prefix}…"


class Webhook(models.Model):
    """A URL the partner wants booking events POSTed to, signed with ``secret`` (HMAC-SHA256)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    event_types = models.JSONField(default=list, help_text="Booking event types; empty: all of them.")
    secret = models.CharField(max_length=64)
    is_active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


class WebhookDelivery(models.Model):
    """One event for one webhook: tried now, then with exponential backoff for WEBHOOKS_RETRY_HOURS."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField()
    event_type = models.CharField(max_length=64)
    payload = models.JSONField(help_text="The exact JSON body sent (signed as is).")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [models.UniqueConstraint(fields=["webhook", "event_id"], name="webhook_delivery_once")]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event_type} -> {self.webhook_id}"


class FeedEntry(models.Model):
    """One booking event in one partner's feed, numbered ``seq`` in the order the entries committed.

    Outbox ids are taken at INSERT, so a late commit can carry a lower id than an event already read;
    ``seq`` comes from ``Partner.feed_seq`` under that row's lock, so a reader paging by seq misses
    nothing. The event is copied here: the feed outlives the outbox's purge and needs no join.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="feed_entries")
    seq = models.PositiveBigIntegerField()
    outbox_id = models.PositiveBigIntegerField(help_text="The outbox row's id (a plain id, no foreign key).")
    event_id = models.UUIDField()
    event_type = models.CharField(max_length=64)
    booking_reference = models.CharField(max_length=64)
    payload = models.JSONField()
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["partner", "seq"]
        verbose_name_plural = "feed entries"
        constraints = [
            models.UniqueConstraint(fields=["partner", "seq"], name="feed_entry_seq"),
            models.UniqueConstraint(fields=["partner", "event_id"], name="feed_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.partner_id}#{self.seq} {self.event_type}"

    @property
    def aggregate_id(self) -> str:
        """The booking reference under the outbox's name, so ``webhooks.event_body`` renders entries too."""
        return self.booking_reference
