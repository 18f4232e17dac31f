"""Staff screens for the catalogue and calendar; bulk ARI edits go through services/ari.py."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from apps.availability.models import Allocation, Inventory, NightRate, Property, RatePlan, Room, RoomType, RoomTypePhoto


class RoomTypePhotoInline(admin.TabularInline):
    model = RoomTypePhoto
    extra = 0


@admin.register(Property)
class PropertyAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "country", "timezone", "currency", "is_active"]
    list_filter = ["is_active", "country", "timezone"]
    search_fields = ["name", "slug", "city"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(RoomType)
class RoomTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "property", "max_adults", "max_children", "default_price", "is_active"]
    list_filter = ["property", "is_active"]
    search_fields = ["name", "code"]
    inlines = [RoomTypePhotoInline]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["room_number", "floor", "room_type", "property", "housekeeping_status"]
    list_filter = ["property", "room_type", "housekeeping_status"]
    list_editable = ["housekeeping_status"]
    search_fields = ["room_number"]


@admin.register(RatePlan)
class RatePlanAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "property", "meal_plan", "cancellation_kind", "parent", "is_active"]
    list_filter = ["property", "meal_plan", "cancellation_kind", "is_active"]
    search_fields = ["name", "code"]
    filter_horizontal = ["room_types"]


@admin.register(Inventory)
class InventoryAdmin(admin.ModelAdmin):
    """Counters are written only by the inventory services; staff change sellable and stop-sell."""

    list_display = ["room_type", "night", "sellable", "sold", "held", "stop_sell"]
    list_filter = ["room_type__property", "room_type", "stop_sell"]
    date_hierarchy = "night"
    readonly_fields = ["room_type", "night", "sold", "held"]
    list_select_related = ["room_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(NightRate)
class NightRateAdmin(admin.ModelAdmin):
    list_display = ["rate_plan", "room_type", "night", "price", "min_stay_arrival", "closed_to_arrival", "stop_sell"]
    list_filter = ["rate_plan", "room_type", "closed_to_arrival", "closed_to_departure", "stop_sell"]
    date_hierarchy = "night"
    list_select_related = ["rate_plan", "room_type"]


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    """Read-only: who holds what, for support questions."""

    list_display = ["alloc_key", "inventory", "units", "state", "expires_at", "updated_at"]
    list_filter = ["state"]
    search_fields = ["alloc_key"]
    list_select_related = ["inventory__room_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Allocation | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Allocation | None = None) -> bool:
        return False
