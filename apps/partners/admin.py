"""Staff screens for partners and their keys: a new key is shown once, in the message after saving."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from apps.partners.keys import api_key_issue, api_key_revoke, api_key_rotate
from apps.partners.models import ApiKey, Partner, Webhook, WebhookDelivery


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    extra = 0
    can_delete = False
    fields = ["prefix", "created_at", "expires_at", "revoked_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # keys are made by the actions, which show the key once


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_active", "all_properties", "rate_limit_per_minute", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    inlines = [ApiKeyInline]
    actions = ["rotate_key"]

    def save_model(self, request: HttpRequest, obj: Partner, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            issued = api_key_issue(partner=obj)
            self.message_user(request, f"API key for {obj.name} (shown once): {issued.key}", messages.WARNING)

    @admin.action(description="Rotate the API key (old keys keep working for the overlap)")
    def rotate_key(self, request: HttpRequest, queryset: QuerySet[Partner]) -> None:
        for partner in queryset:
            issued = api_key_rotate(partner=partner)
            self.message_user(request, f"New API key for {partner.name} (shown once): {issued.key}", messages.WARNING)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["prefix", "partner", "created_at", "expires_at", "revoked_at"]
    list_filter = ["partner"]
    readonly_fields = ["partner", "prefix", "key_hash", "created_at", "expires_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Revoke now")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for api_key in queryset:
            api_key_revoke(api_key=api_key)


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["url", "partner", "is_active", "consecutive_failures", "disabled_reason"]
    list_filter = ["is_active", "partner"]
    readonly_fields = ["secret", "consecutive_failures", "disabled_at", "disabled_reason", "created_at"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event_type", "webhook", "state", "attempts", "last_status_code", "created_at", "delivered_at"]
    list_filter = ["state", "event_type"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
