"""Staff memberships (superusers only: granting access is itself access) and the read-only audit log."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from booking_platform.staff.models import StaffAuditEntry, StaffMembership


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "property_id", "created_at"]
    list_filter = ["property_id"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def _superuser(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = _superuser


@admin.register(StaffAuditEntry)
class StaffAuditEntryAdmin(admin.ModelAdmin):
    """Superusers read it; nobody adds, edits or deletes through the admin."""

    list_display = ["occurred_at", "username", "action", "object_type", "object_ids"]
    list_filter = ["action", "object_type"]
    search_fields = ["username", "object_ids"]
    date_hierarchy = "occurred_at"
    readonly_fields = [
        "occurred_at",
        "user_id_value",
        "username",
        "action",
        "object_type",
        "object_ids",
        "before",
        "after",
    ]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def _never(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    has_add_permission = has_change_permission = has_delete_permission = _never
