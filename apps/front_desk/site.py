"""The staff admin site: product branding, the property name for single-property staff, and the
cross-context screens (front desk board, new booking, reports) as admin views."""

from __future__ import annotations

from typing import Any

from django.apps import apps as django_apps
from django.contrib.admin import AdminSite
from django.http import HttpRequest
from django.urls import path

from booking_platform.staff.access import staff_property_ids

PRODUCT = "Booking Platform"


class StaffAdminSite(AdminSite):
    site_header = f"{PRODUCT} · Staff"
    site_title = f"{PRODUCT} staff"
    index_title = "Hotel operations"

    @property
    def site_url(self) -> str | None:  # type: ignore[override]
        """ "View site" goes to the guest site once it is installed; hidden until then."""
        return "/" if django_apps.is_installed("apps.guest_site") else None

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().each_context(request)
        scope = staff_property_ids(request.user) if request.user.is_authenticated else frozenset()
        if scope is not None and len(scope) == 1:
            from apps.availability import interface as availability

            (only,) = scope
            prop = availability.properties_by_ids([only]).get(only)
            if prop:
                context["site_header"] = f"{PRODUCT} · {prop.name}"
        context["staff_links"] = _links(request)
        return context

    def get_urls(self) -> list:
        from apps.front_desk import board, booking_form, reports

        wrap = self.admin_view
        return [
            path("front-desk/", wrap(board.board_view), name="front_desk_board"),
            path("front-desk/housekeeping/<int:room_id>/", wrap(board.housekeeping_view), name="front_desk_clean"),
            path("front-desk/new-booking/", wrap(booking_form.new_booking_view), name="front_desk_new_booking"),
            path("reports/", wrap(reports.reports_view), name="front_desk_reports"),
            *super().get_urls(),
        ]


def _links(request: HttpRequest) -> list[tuple[str, str]]:
    user = request.user
    links = []
    if user.is_authenticated and user.has_perm("kernel.view_front_desk"):
        links.append(("Front desk", "admin:front_desk_board"))
    if user.is_authenticated and user.has_perm("bookings.add_booking"):
        links.append(("New booking", "admin:front_desk_new_booking"))
    if user.is_authenticated and user.has_perm("kernel.view_reports"):
        links.append(("Reports", "admin:front_desk_reports"))
    return links
