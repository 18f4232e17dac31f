"""/api/v1: mounted by config/urls.py. Anything else under the prefix is a problem+json 404."""

from __future__ import annotations

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.partners.views import base, bookings, catalogue, events
from apps.partners.views.schema import PublicSchemaMixin

app_name = "partners_api"


class SchemaView(PublicSchemaMixin, SpectacularAPIView):
    pass


class DocsView(PublicSchemaMixin, SpectacularSwaggerSplitView):
    """The init script is a separate file, so the page works under a CSP without inline scripts."""


urlpatterns = [
    path("properties/", catalogue.PropertyListView.as_view(), name="properties"),
    path("properties/<slug:slug>/", catalogue.PropertyDetailView.as_view(), name="property"),
    path("availability/", catalogue.AvailabilityView.as_view(), name="availability"),
    path("holds/", bookings.HoldListView.as_view(), name="holds"),
    path("holds/<str:reference>/", bookings.HoldDetailView.as_view(), name="hold"),
    path("bookings/", bookings.BookingListView.as_view(), name="bookings"),
    path("bookings/<str:reference>/", bookings.BookingDetailView.as_view(), name="booking"),
    path("bookings/<str:reference>/cancel/", bookings.BookingCancelView.as_view(), name="booking-cancel"),
    path(
        "bookings/<str:reference>/cancellation/",
        bookings.BookingCancellationView.as_view(),
        name="booking-cancellation",
    ),
    path("bookings/<str:reference>/modify/", bookings.BookingModifyView.as_view(), name="booking-modify"),
    path("events/", events.EventFeedView.as_view(), name="events"),
    path("webhooks/", events.WebhookListView.as_view(), name="webhooks"),
    path("webhooks/<int:webhook_id>/", events.WebhookDetailView.as_view(), name="webhook"),
    path("webhooks/<int:webhook_id>/deliveries/", events.WebhookDeliveryListView.as_view(), name="webhook-deliveries"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="partners_api:schema"), name="docs"),
    re_path(r"^[\s\S]*$", base.not_found),  # [\s\S]: a newline in the path is still ours
]
