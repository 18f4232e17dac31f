"""Staff screens for guest profiles: edits through ``customer_update``; export and erasure as actions.

A guest is visible to staff of the properties the guest booked (bookings register that rule with
the kernel). Export needs ``customers.export_customer``, erasure ``customers.erase_customer``; every
export, erasure and profile change is written to the staff audit log with before/after values.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html

from apps.customers.models import Customer
from apps.customers.privacy import customer_erase, customer_export
from apps.customers.services import customer_update
from booking_platform.actors import Actor
from booking_platform.staff.access import staff_audit_record, visible_filter
from booking_platform.staff.forms import ServiceModelForm, ServiceSavedAdminMixin

PROFILE = ("email", "first_name", "last_name", "phone", "country", "language", "marketing_consent")


class CustomerForm(ServiceModelForm):
    """Staff edits obey the same rules as every other door: ``customer_update`` decides."""

    class Meta:
        model = Customer
        fields = PROFILE

    def save_through_service(self) -> Customer:
        if self.instance.pk is None:
            raise forms.ValidationError("Guest profiles are created by bookings.")
        return customer_update(customer_id=self.instance.pk, **{name: self.cleaned_data[name] for name in PROFILE})


@admin.register(Customer)
class CustomerAdmin(ServiceSavedAdminMixin, admin.ModelAdmin):
    form = CustomerForm
    list_display = ("id", "email", "first_name", "last_name", "country", "language", "marketing_consent", "erased_at")
    list_filter = ("marketing_consent", "language", "country")
    search_fields = ("email", "last_name", "phone")
    readonly_fields = ("bookings", "marketing_consent_at", "erased_at", "created_at", "updated_at")

    @admin.display(description="bookings")
    def bookings(self, obj: Customer) -> str:
        """The guest's bookings in the booking list (which shows only the user's properties)."""
        if obj.pk is None:
            return "-"
        url = reverse("admin:bookings_booking_changelist") + f"?customer_id={obj.pk}"
        return format_html('<a href="{}">Bookings of this guest</a>', url)

    actions = ("export_data", "erase_data")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Customer]:
        queryset = super().get_queryset(request)
        condition = visible_filter(request.user, "customers.customer")
        return queryset if condition is None else queryset.filter(condition)

    def _visible(self, request: HttpRequest, obj: Customer | None) -> bool:
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request: HttpRequest, obj: Customer | None = None) -> bool:
        return super().has_view_permission(request, obj) and self._visible(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Customer | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._visible(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # profiles come from bookings (web, staff, partners), one per email

    def has_delete_permission(self, request: HttpRequest, obj: Customer | None = None) -> bool:
        return False  # deleting would orphan bookings; erasure is how a guest is forgotten

    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("customers.export_customer")

    def has_erase_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("customers.erase_customer")

    def save_model(self, request: HttpRequest, obj: Customer, form: forms.ModelForm, change: bool) -> None:
        if form.changed_data:
            before = {name: form.initial.get(name) for name in form.changed_data}
            staff_audit_record(
                user=request.user,
                action="customer_changed",
                object_type="customers.customer",
                object_ids=[obj.pk],
                before=json.loads(json.dumps(before, cls=DjangoJSONEncoder)),
                after=json.loads(json.dumps(form.changed_values(), cls=DjangoJSONEncoder)),
            )

    @admin.action(description="Export personal data (JSON)", permissions=["export"])
    def export_data(self, request: HttpRequest, queryset: QuerySet[Customer]) -> HttpResponse | None:
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        if not ids:  # the selection named only guests this user may not see
            self.message_user(request, "No customer of yours was selected.", messages.WARNING)
            return None
        exports = [customer_export(customer_id=pk) for pk in ids]
        staff_audit_record(
            user=request.user, action="customer_exported", object_type="customers.customer", object_ids=ids
        )
        body = json.dumps(exports[0] if len(exports) == 1 else exports, cls=DjangoJSONEncoder, indent=2)
        response = HttpResponse(body, content_type="application/json")
        name = f"customer-{ids[0]}" if len(ids) == 1 else "customers"
        response["Content-Disposition"] = f'attachment; filename="{name}-export.json"'
        return response

    @admin.action(description="Erase personal data (cannot be undone)", permissions=["erase"])
    def erase_data(self, request: HttpRequest, queryset: QuerySet[Customer]) -> None:
        actor = Actor.staff(request.user.pk)
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        if not ids:
            self.message_user(request, "No customer of yours was selected.", messages.WARNING)
            return
        for pk in ids:
            customer_erase(customer_id=pk, actor=actor)
        staff_audit_record(
            user=request.user, action="customer_erased", object_type="customers.customer", object_ids=ids
        )
        self.message_user(request, f"Personal data of {len(ids)} customer(s) erased.", messages.SUCCESS)
