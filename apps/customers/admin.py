"""Staff screens for guest profiles, with data-protection export and erasure as actions."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from apps.bookings.interface import Actor
from apps.customers.models import Customer
from apps.customers.normalise import normalise_country, normalise_email, normalise_phone
from apps.customers.privacy import customer_erase, customer_export
from booking_platform.errors import ValidationFailed


class CustomerForm(forms.ModelForm):
    """Staff edits obey the same rules as every other door: one canonical email, E.164 phones."""

    class Meta:
        model = Customer
        fields = ("email", "first_name", "last_name", "phone", "country", "language", "marketing_consent")

    @staticmethod
    def _normalised(normalise, *args, **kwargs) -> str:
        try:
            return normalise(*args, **kwargs)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean_email(self) -> str:
        return self._normalised(normalise_email, self.cleaned_data["email"])

    def clean_country(self) -> str:
        return self._normalised(normalise_country, self.cleaned_data["country"])

    def clean(self) -> dict:
        cleaned = super().clean()
        if "phone" in cleaned:
            try:
                cleaned["phone"] = normalise_phone(cleaned["phone"], country=cleaned.get("country", ""))
            except ValidationFailed as exc:
                self.add_error("phone", exc.message)
        return cleaned


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    form = CustomerForm

    def save_model(self, request: HttpRequest, obj: Customer, form: forms.ModelForm, change: bool) -> None:
        if "marketing_consent" in form.changed_data:
            obj.marketing_consent_at = timezone.now()  # consent is only worth its recorded time
        super().save_model(request, obj, form, change)

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
