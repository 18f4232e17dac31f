"""Staff screens for bookings: a list people read, a booking page with its actions, CSV export.

Scoped to the user's properties; every action declares its permission (view changes nothing) and
calls one booking service, which audits it and emits the event. The booking page and its buttons
live in admin_page.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import path

from apps.bookings import admin_page
from apps.bookings.actors import Actor
from apps.bookings.admin_lists import (
    ArrivalFilter,
    BookingChangeList,
    DepartureFilter,
    PropertyFilter,
    search_condition,
)
from apps.bookings.exports import bookings_csv_response
from apps.bookings.lists import customer_ids_at_properties
from apps.bookings.models import Booking
from booking_platform.errors import ApplicationError
from booking_platform.staff.access import PropertyScopedAdmin, register_visibility, staff_audit_record

# A guest is visible to staff of the properties the guest booked.
register_visibility("customers.customer", customer_ids_at_properties)

# action name -> (permission codename, service verb); the page buttons use the same table.
ACTIONS: dict[str, tuple[str, str]] = {
    "confirm": ("confirm_booking", "confirmed"),
    "cancel": ("cancel_booking", "cancelled"),
    "check_in": ("check_in_booking", "checked in"),
    "check_out": ("check_out_booking", "checked out"),
    "no_show": ("no_show_booking", "marked as no-show"),
}


def _bulk(name: str) -> Callable[..., None]:
    """A list action that runs one booking service per selected booking and reports each refusal."""
    _codename, verb = ACTIONS[name]

    def action(modeladmin: BookingAdmin, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        actor = Actor.staff(request.user.pk)
        done = 0
        for booking in queryset.order_by("pk"):
            try:
                admin_page.run_service(name, booking_id=booking.pk, actor=actor)
                done += 1
            except ApplicationError as exc:
                modeladmin.message_user(request, f"{booking.reference}: {exc.message}", messages.ERROR)
        if done:
            modeladmin.message_user(request, f"{done} booking(s) {verb}.", messages.SUCCESS)

    action.__name__ = f"action_{name}"
    return admin.action(description=f"Mark selected bookings {verb}", permissions=[name])(action)


@admin.register(Booking)
class BookingAdmin(PropertyScopedAdmin):
    list_display = (
        "reference",
        "guest",
        "property_name",
        "check_in",
        "check_out",
        "nights",
        "rooms_text",
        "status",
        "total_text",
        "channel",
    )
    list_filter = ("status", PropertyFilter, ArrivalFilter, DepartureFilter, "channel")
    search_fields = ("reference",)
    search_help_text = "Reference (with or without dashes), guest name or email."
    date_hierarchy = "check_in"
    list_per_page = 50
    actions = (*(_bulk(name) for name in ACTIONS), "export_csv")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Booking]:
        return super().get_queryset(request).prefetch_related("rooms")

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type:
        return BookingChangeList

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        if not search_term.strip():
            return queryset, False
        return queryset.filter(search_condition(search_term)), False

    @admin.display(description="guest")
    def guest(self, obj: Booking) -> str:
        return getattr(obj, "guest_label", "")

    @admin.display(description="property")
    def property_name(self, obj: Booking) -> str:
        return getattr(obj, "property_label", "")

    @admin.display(description="nights")
    def nights(self, obj: Booking) -> int:
        return (obj.check_out - obj.check_in).days

    @admin.display(description="rooms")
    def rooms_text(self, obj: Booking) -> str:
        return ", ".join(getattr(obj, "room_labels", []))

    @admin.display(description="total", ordering="total")
    def total_text(self, obj: Booking) -> str:
        return f"{obj.total} {obj.currency}"

    # -- permissions: one per action; viewing never changes anything -------------------------------
    def _perm(self, request: HttpRequest, codename: str) -> bool:
        return request.user.has_perm(f"bookings.{codename}")

    def has_confirm_permission(self, request: HttpRequest) -> bool:
        return self._perm(request, "confirm_booking")

    def has_cancel_permission(self, request: HttpRequest) -> bool:
        return self._perm(request, "cancel_booking")

    def has_check_in_permission(self, request: HttpRequest) -> bool:
        return self._perm(request, "check_in_booking")

    def has_check_out_permission(self, request: HttpRequest) -> bool:
        return self._perm(request, "check_out_booking")

    def has_no_show_permission(self, request: HttpRequest) -> bool:
        return self._perm(request, "no_show_booking")

    def has_export_permission(self, request: HttpRequest) -> bool:
        return self._perm(request, "export_booking")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # staff book through the front desk's booking form (the booking service)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # no field is edited directly; the page's buttons call the services

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Export selected bookings (CSV)", permissions=["export"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Booking]) -> HttpResponse | None:
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        if not ids:
            self.message_user(request, "No booking of yours was selected.", messages.WARNING)
            return None
        staff_audit_record(
            user=request.user, action="bookings_exported", object_type="bookings.booking", object_ids=ids
        )
        return bookings_csv_response(Booking.objects.filter(pk__in=ids))

    # -- the booking page ---------------------------------------------------------------------------
    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/do/<str:name>/", wrap(self.do_view), name="bookings_booking_do"),
            path("<int:object_id>/assign/", wrap(self.assign_view), name="bookings_booking_assign"),
            path("<int:object_id>/dates/", wrap(self.dates_view), name="bookings_booking_dates"),
            *super().get_urls(),
        ]

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None):
        return admin_page.booking_page(self, request, object_id)

    def do_view(self, request: HttpRequest, object_id: int, name: str) -> HttpResponse:
        return admin_page.do_action(self, request, object_id, name)

    def assign_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        return admin_page.assign_room(self, request, object_id)

    def dates_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        return admin_page.change_dates(self, request, object_id)
