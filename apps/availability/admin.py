"""Staff screens for the catalogue and calendar; bulk ARI edits go through services/ari.py."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest

from apps.availability.models import Allocation, Inventory, NightRate, Property, RatePlan, Room, RoomType, RoomTypePhoto
from apps.availability.services.ari import inventory_update
from booking_platform.errors import ApplicationError


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


class InventoryForm(forms.ModelForm):
    class Meta:
        model = Inventory
        fields = ["sellable", "stop_sell"]

    def clean_sellable(self) -> int:
        sellable = self.cleaned_data["sellable"]
        taken = self.instance.sold + self.instance.held
        if sellable < taken:
            raise forms.ValidationError(f"{taken} rooms are sold or held on this night; sellable cannot go below that.")
        return sellable


@admin.register(Inventory)
class InventoryAdmin(admin.ModelAdmin):
    """Counters are written only by the inventory services; staff change sellable and stop-sell.

    Saving goes through ``inventory_update`` (locked, guarded UPDATE of two columns), never
    ``Model.save()``, which would write back the sold/held counters as they were when the form loaded.
    """

    form = InventoryForm

    list_display = ["room_type", "night", "sellable", "sold", "held", "stop_sell"]
    list_filter = ["room_type__property", "room_type", "stop_sell"]
    date_hierarchy = "night"
    readonly_fields = ["room_type", "night", "sold", "held"]
    list_select_related = ["room_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Inventory, form: forms.ModelForm, change: bool) -> None:
        try:
            inventory_update(
                room_type_ids=[obj.room_type_id],
                date_from=obj.night,
                date_to=obj.night,
                sellable=form.cleaned_data["sellable"],
                stop_sell=form.cleaned_data["stop_sell"],
            )
        except ApplicationError as exc:  # a booking landed between the form check and the save
            self.message_user(request, f"Not saved: {exc.message}", level=messages.ERROR)


class NightRateForm(forms.ModelForm):
    class Meta:
        model = NightRate
        fields = ["rate_plan", "room_type", "night", *NightRate.SETTINGS]

    def clean_rate_plan(self) -> RatePlan:
        plan = self.cleaned_data["rate_plan"]
        if plan.parent_id:
            raise forms.ValidationError("A derived plan follows its parent's prices; set the parent's night instead.")
        return plan


@admin.register(NightRate)
class NightRateAdmin(admin.ModelAdmin):
    form = NightRateForm
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
