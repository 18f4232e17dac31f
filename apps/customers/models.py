"""Guest profiles: one per normalised email, the only place personal contact data lives."""

from __future__ import annotations

from django.db import models

from booking_platform.validation import validate_language_tag, validate_single_line


class Customer(models.Model):
    """A guest. Bookings refer to it by id; erasure blanks it in place so ids stay valid."""

    email = models.EmailField(max_length=254, unique=True)
    first_name = models.CharField(max_length=100, blank=True, default="", validators=[validate_single_line])
    last_name = models.CharField(max_length=100, blank=True, default="", validators=[validate_single_line])
    phone = models.CharField(max_length=20, blank=True, default="", help_text="E.164, e.g. +4930123456")
    country = models.CharField(max_length=2, blank=True, default="", help_text="ISO 3166-1 alpha-2")
    language = models.CharField(max_length=8, default="en", validators=[validate_language_tag])
    marketing_consent = models.BooleanField(default=False)
    marketing_consent_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["created_at"], name="customer_created")]

    def __str__(self) -> str:
        # No personal data: this string ends up in admin logs, which erasure does not rewrite.
        return f"Customer #{self.pk}"

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None
