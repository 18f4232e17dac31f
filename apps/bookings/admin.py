"""Staff screens for bookings: the booking, its rooms and its read-only audit trail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.bookings.actors import Actor
from apps.bookings.models import AuditEntry, Booking, BookingRoom
from apps.bookings.services.lifecycle import booking_cancel, booking_confirm
from apps.bookings.services.stay import booking_check_in, booking_check_out, booking_no_show
from booking_platform.errors import ApplicationError


class BookingRoomInline(admin.TabularInline):
    model = BookingRoom
    extra = 0
    can_delete = False
    fields = ("room_type_name", "rate_plan_name", "adults", "children", "total", "guest_name", "assigned_room_id")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditEntryInline(admin.TabularInline):
    model = AuditEntry
    extra = 0
    can_delete = False
    fields = ("occurred_at", "actor_kind", "actor_id", "action", "before", "after")
    readonly_fields = fields
    ordering = ("id",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _run(service: Callable[..., Booking], verb: str) -> Callable[..., None]:
    """An admin action that calls one lifecycle service per booking and reports each refusal."""

    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        actor = Actor.staff(request.user.pk)
        done = 0
        for booking in queryset.order_by("pk"):
            try:
                service(booking_id=booking.pk, actor=actor)
                done += 1
            except ApplicationError as exc:
                modeladmin.message_user(request, f"{booking.reference}: {exc.message}", messages.ERROR)
        if done:
            modeladmin.message_user(request, f"{done} booking(s) {verb}.", messages.SUCCESS)

    action.__name__ = f"action_{verb.replace(' ', '_').replace('-', '_')}"
    return admin.action(description=f"Mark selected bookings {verb}")(action)


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ("reference", "status", "property_id", "check_in", "check_out", "total", "currency", "channel")
    list_filter = ("status", "channel", "property_id")
    search_fields = ("reference",)
    date_hierarchy = "check_in"
    inlines = (BookingRoomInline, AuditEntryInline)
    actions = (
        _run(booking_confirm, "confirmed"),
        _run(booking_cancel, "cancelled"),
        _run(booking_check_in, "checked in"),
        _run(booking_check_out, "checked out"),
        _run(booking_no_show, "no-show"),
    )
    # Everything changes only through the lifecycle services, which audit it and emit events.
    readonly_fields = tuple(f.name for f in Booking._meta.get_fields() if f.concrete and f.name != "id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
