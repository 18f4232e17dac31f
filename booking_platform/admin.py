"""Staff screens for the event outbox and the notification ledger: read-only, for diagnosis.

Staff who are not superusers see only the events and messages of their properties (the event
payload names the property); sending failed messages again needs ``kernel.resend_delivery``.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from booking_platform.events.models import OutboxEvent
from booking_platform.notifications.models import Delivery
from booking_platform.staff import admin as _staff_admin  # noqa: F401  (registers memberships and audit log)
from booking_platform.staff.access import scope_filter


class ReadOnly(admin.ModelAdmin):
    """Rows are written by the relay and the senders only; staff look, never edit."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


def _scoped_events(request: HttpRequest) -> QuerySet[OutboxEvent]:
    condition = scope_filter(request.user, "payload__property_id")
    return OutboxEvent.objects.all() if condition is None else OutboxEvent.objects.filter(condition)


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnly):
    list_display = ["id", "event_type", "aggregate_id", "occurred_at", "published_at", "publish_attempts"]
    list_filter = ["event_type", ("published_at", admin.EmptyFieldListFilter)]
    search_fields = ["=aggregate_id", "=event_id"]
    date_hierarchy = "occurred_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutboxEvent]:
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(pk__in=_scoped_events(request).values("pk"))


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = ["id", "kind", "channel", "recipient", "status", "attempts", "created_at", "sent_at", "last_error"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["=event_id", "recipient"]
    actions = ["retry_failed"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Delivery]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(event_id__in=_scoped_events(request).values("event_id"))

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("kernel.resend_delivery")

    @admin.action(description="Send failed deliveries again", permissions=["resend"])
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        """A staff decision after fixing the cause (wrong address, provider outage)."""
        from booking_platform.notifications.services import retry_failed

        count = retry_failed(ids=list(queryset.values_list("id", flat=True)))
        self.message_user(request, f"{count} delivery(ies) queued again.", messages.SUCCESS)
