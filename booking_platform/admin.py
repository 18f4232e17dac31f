"""Staff screens for the event outbox and the notification ledger: read-only, for diagnosis."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from booking_platform.events.models import OutboxEvent
from booking_platform.notifications.models import Delivery


class ReadOnly(admin.ModelAdmin):
    """Rows are written by the relay and the senders only; staff look, never edit."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnly):
    list_display = ["id", "event_type", "aggregate_id", "occurred_at", "published_at", "publish_attempts"]
    list_filter = ["event_type", ("published_at", admin.EmptyFieldListFilter)]
    search_fields = ["=aggregate_id", "=event_id"]
    date_hierarchy = "occurred_at"


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = ["id", "kind", "channel", "recipient", "status", "attempts", "created_at", "sent_at", "last_error"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["=event_id", "recipient"]
    actions = ["retry_failed"]

    @admin.action(description="Send failed deliveries again", permissions=["view"])
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        """A staff decision after fixing the cause (wrong address, provider outage)."""
        from booking_platform.notifications.services import retry_failed

        count = retry_failed(ids=list(queryset.values_list("id", flat=True)))
        self.message_user(request, f"{count} delivery(ies) queued again.", messages.SUCCESS)
