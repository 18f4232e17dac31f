"""Staff screens for guest profiles, with data-protection export and erasure as actions."""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from apps.bookings.interface import Actor
from apps.customers.models import Customer
from apps.customers.privacy import customer_erase, customer_export


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("id", "email", "first_name", "last_name", "country", "language", "marketing_consent", "erased_at")
    list_filter = ("marketing_consent", "language", "country")
    search_fields = ("email", "last_name", "phone")
    readonly_fields = ("marketing_consent_at", "erased_at", "created_at", "updated_at")
    actions = ("export_data", "erase_data")

    @admin.action(description="Export personal data (JSON)", permissions=["view"])
    def export_data(self, request: HttpRequest, queryset: QuerySet[Customer]) -> HttpResponse:
        exports = [customer_export(customer_id=pk) for pk in queryset.order_by("pk").values_list("pk", flat=True)]
        body = json.dumps(exports[0] if len(exports) == 1 else exports, cls=DjangoJSONEncoder, indent=2)
        response = HttpResponse(body, content_type="application/json")
        name = f"customer-{exports[0]['customer']['id']}" if len(exports) == 1 else "customers"
        response["Content-Disposition"] = f'attachment; filename="{name}-export.json"'
        return response

    @admin.action(description="Erase personal data (cannot be undone)", permissions=["erase"])
    def erase_data(self, request: HttpRequest, queryset: QuerySet[Customer]) -> None:
        actor = Actor.staff(request.user.pk)
        count = 0
        for pk in queryset.order_by("pk").values_list("pk", flat=True):
            customer_erase(customer_id=pk, actor=actor)
            count += 1
        self.message_user(request, f"Personal data of {count} customer(s) erased.", messages.SUCCESS)

    def has_erase_permission(self, request: HttpRequest) -> bool:
        """Erasure is gated by the model's delete permission, the closest thing it replaces."""
        return request.user.has_perm("customers.delete_customer")

    def has_delete_permission(self, request: HttpRequest, obj: Customer | None = None) -> bool:
        return False  # deleting would orphan bookings; erasure is how a guest is forgotten
