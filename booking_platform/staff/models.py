"""Staff membership (user -> property ids) and the append-only staff audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class StaffMembership(models.Model):
    """A user works for a property. Properties are plain ids: the kernel never imports the contexts."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_memberships")
    property_id = models.BigIntegerField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user_id", "property_id"]
        constraints = [models.UniqueConstraint(fields=["user", "property_id"], name="staff_membership_uniq")]
        permissions = [
            ("view_front_desk", "Can view the front desk board"),
            ("view_reports", "Can view occupancy and revenue reports"),
        ]

    def __str__(self) -> str:
        return f"user {self.user_id} @ property {self.property_id}"


class StaffAuditEntry(models.Model):
    """Who read or changed personal data (export, erase, profile edits) and when. Never edited."""

    user_id_value = models.BigIntegerField(null=True, blank=True)
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60)
    object_ids = models.JSONField(default=list, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "staff audit entry"
        verbose_name_plural = "staff audit log"

    def __str__(self) -> str:
        return f"{self.action} by {self.username}"
