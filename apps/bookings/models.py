"""Bookings, their room lines and their audit trail. Other contexts are referenced by plain ids."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models

from booking_platform.actors import ActorKind
from booking_platform.validation import validate_language_tag, validate_multiline_text, validate_single_line


class Channel(models.TextChoices):
    WEB = "web", "Web site"
    PARTNER = "partner", "Partner"
    STAFF = "staff", "Staff"


class Status(models.TextChoices):
    HELD = "held", "Held"
    CONFIRMED = "confirmed", "Confirmed"
    CHECKED_IN = "checked_in", "Checked in"
    CHECKED_OUT = "checked_out", "Checked out"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"
    EXPIRED = "expired", "Expired"


# Statuses whose nights count as sold in the inventory (reconciliation relies on this).
SOLD_STATUSES = (Status.CONFIRMED, Status.CHECKED_IN, Status.CHECKED_OUT, Status.NO_SHOW)


class Booking(models.Model):
    """One reservation: a stay [check_in, check_out) at one property, one or more rooms."""

    reference = models.CharField(max_length=16, unique=True, editable=False)
    property_id = models.BigIntegerField(db_index=True)
    customer_id = models.BigIntegerField(db_index=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    partner_id = models.BigIntegerField(
        null=True,
        blank=True,
        db_index=True,
        help_text="The partner that owns it (channel partner); none for web/staff.",
    )
    partner_reference = models.CharField(
        max_length=64,
        blank=True,
        default="",
        db_default="",  # rows inserted by the previous release (which has no such column) stay valid
        help_text="The partner's own reference for this booking.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.HELD)
    language = models.CharField(max_length=8, default="en", validators=[validate_language_tag])
    check_in = models.DateField()
    check_out = models.DateField()
    adults = models.PositiveSmallIntegerField()
    children = models.PositiveSmallIntegerField(default=0)
    special_requests = models.TextField(
        blank=True, default="", validators=[validate_multiline_text, MaxLengthValidator(2000)]
    )
    currency = models.CharField(max_length=3)
    room_total = models.DecimalField(max_digits=12, decimal_places=2)
    taxes = models.DecimalField(max_digits=12, decimal_places=2)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    cancellation_fee = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    cancellation_policy = models.JSONField(help_text="The rate plan's policy as it was when booked.")
    allocation_key = models.CharField(max_length=40, help_text="Inventory allocation currently held or sold.")
    expires_at = models.DateTimeField(null=True, blank=True, help_text="When an unconfirmed hold lapses.")
    version = models.PositiveIntegerField(default=1, help_text="Bumped by every change; modify checks it.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    departed_on = models.DateField(
        null=True,
        blank=True,
        help_text="Hotel-local date the guest checked out; nights from it on were given back (dates stay as booked).",
    )

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="booking_status_expiry"),
            models.Index(fields=["property_id", "check_in"], name="booking_property_arrival"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(check_out__gt=models.F("check_in")), name="booking_dates"),
            models.CheckConstraint(
                condition=models.Q(room_total__gte=0, taxes__gte=0, total__gte=0, cancellation_fee__gte=0),
                name="booking_amounts_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class BookingRoom(models.Model):
    """One room of a booking, with the per-night prices locked when it was quoted."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="rooms")
    room_type_id = models.BigIntegerField()
    room_type_name = models.CharField(max_length=100)
    rate_plan_id = models.BigIntegerField()
    rate_plan_name = models.CharField(max_length=100)
    adults = models.PositiveSmallIntegerField()
    children = models.PositiveSmallIntegerField(default=0)
    nightly = models.JSONField(help_text='[{"night": "2026-12-24", "price": "152.00"}, ...] for this room.')
    room_total = models.DecimalField(max_digits=12, decimal_places=2)
    taxes = models.DecimalField(max_digits=12, decimal_places=2)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    guest_name = models.CharField(max_length=200, blank=True, default="", validators=[validate_single_line])
    assigned_room_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(room_total__gte=0, taxes__gte=0, total__gte=0), name="bookingroom_amounts_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room_type_name} / {self.rate_plan_name}"


def remember_rooms(booking: Booking, rooms: list[BookingRoom]) -> None:
    """Cache the lines just written as if prefetched: ``booking.rooms.all()`` then reads them, not the database.

    The writer knows them already (it priced them), so the audit, the event and the answer need no read-back.
    Django's own prefetch stores the same thing the same way.
    """
    queryset = booking.rooms.get_queryset()
    queryset._result_cache = list(rooms)
    queryset._prefetch_done = True
    if not hasattr(booking, "_prefetched_objects_cache"):
        booking._prefetched_objects_cache = {}
    booking._prefetched_objects_cache["rooms"] = queryset


class AuditEntry(models.Model):
    """Who changed a booking, when, and the before/after of what changed. Append-only."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="audit_entries")
    actor_kind = models.CharField(max_length=10, choices=ActorKind.choices)
    actor_id = models.CharField(max_length=64, blank=True, default="")
    action = models.CharField(max_length=32)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_kind}:{self.actor_id}"
