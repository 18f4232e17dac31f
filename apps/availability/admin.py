"""Staff screens for the catalogue and calendar, scoped to the user's properties.

Writes that have a service go through it: night rates (``night_rates_set``), sellable and
stop-sell (``inventory_update``), rooms (``room_save``, which follows rooms entering or leaving
service on the nights ahead). The ARI calendar and bulk form live in apps/front_desk.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.html import format_html

from apps.availability.admin_calendar import calendar_view
from apps.availability.models import Allocation, Inventory, NightRate, Property, RatePlan, Room, RoomType, RoomTypePhoto
from apps.availability.services.ari import inventory_update, night_rates_set
from apps.availability.services.rooms import room_save
from booking_platform.errors import ApplicationError
from booking_platform.staff.access import PropertyScopedAdmin, ScopedInline
from booking_platform.staff.forms import ServiceModelForm, ServiceSavedAdminMixin

OWN = admin.RelatedOnlyFieldListFilter  # filter choices drawn from the (scoped) list itself


class RoomTypePhotoInline(ScopedInline, admin.TabularInline):
    model = RoomTypePhoto
    extra = 0


@admin.register(Property)
class PropertyAdmin(PropertyScopedAdmin):
    property_path = "pk"
    list_display = ["name", "city", "country", "timezone", "currency", "is_active"]
    list_filter = ["is_active", "country", "timezone"]
    search_fields = ["name", "slug", "city"]
    prepopulated_fields = {"slug": ["name"]}

    list_display = [*list_display, "calendar_link"]

    @admin.display(description="calendar")
    def calendar_link(self, obj: Property) -> str:
        return format_html(
            '<a href="{}">Rates and availability</a>', reverse("admin:availability_calendar", args=[obj.pk])
        )

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(partial(calendar_view, self))
        return [path("<int:object_id>/calendar/", view, name="availability_calendar"), *super().get_urls()]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser  # a new hotel is nobody's property yet

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(RoomType)
class RoomTypeAdmin(PropertyScopedAdmin):
    scoped_related = {"property": "pk"}
    list_display = ["name", "code", "property", "max_adults", "max_children", "default_price", "is_active"]
    list_filter = [("property", OWN), "is_active"]
    list_select_related = ["property"]
    search_fields = ["name", "code"]
    inlines = [RoomTypePhotoInline]


@admin.register(Room)
class RoomAdmin(PropertyScopedAdmin):
    """Housekeeping edits the status in the list; a room entering or leaving service moves sellable."""

    scoped_related = {"property": "pk", "room_type": "property_id"}
    list_display = ["room_number", "floor", "room_type", "property", "housekeeping_status"]
    list_filter = [("property", OWN), ("room_type", OWN), "housekeeping_status"]
    list_editable = ["housekeeping_status"]
    list_select_related = ["property", "room_type"]
    search_fields = ["room_number"]

    def save_model(self, request: HttpRequest, obj: Room, form: forms.ModelForm, change: bool) -> None:
        previous = None
        if change:
            old = Room.objects.filter(pk=obj.pk).values_list("room_type_id", "housekeeping_status").first()
            previous = (old[0], old[1] != Room.Housekeeping.OUT_OF_ORDER) if old else None
        room_save(room=obj, previous=previous)


@admin.register(RatePlan)
class RatePlanAdmin(PropertyScopedAdmin):
    scoped_related = {"property": "pk", "parent": "property_id", "room_types": "property_id"}
    list_display = ["name", "code", "property", "meal_plan", "cancellation_kind", "parent", "is_active"]
    list_filter = [("property", OWN), "meal_plan", "cancellation_kind", "is_active"]
    list_select_related = ["property", "parent"]
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
class InventoryAdmin(PropertyScopedAdmin):
    """Counters are written only by the inventory services; staff change sellable and stop-sell.

    Saving goes through ``inventory_update`` (locked, guarded UPDATE of two columns), never
    ``Model.save()``, which would write back the sold/held counters as they were when the form loaded.
    """

    form = InventoryForm
    property_path = "room_type__property_id"
    list_display = ["room_type", "night", "sellable", "sold", "held", "stop_sell"]
    list_filter = [("room_type", OWN), "stop_sell"]
    date_hierarchy = "night"
    readonly_fields = ["room_type", "night", "sold", "held"]
    list_select_related = ["room_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
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


class NightRateForm(ServiceModelForm):
    """One night of one plan and room type, written by ``night_rates_set`` (its checks, its codes)."""

    field_map = {"rate_plan_ids": "rate_plan", "room_type_ids": "room_type", "date_from": "night", "date_to": "night"}

    class Meta:
        model = NightRate
        fields = ["rate_plan", "room_type", "night", *NightRate.SETTINGS]

    def save_through_service(self) -> NightRate:
        key = {
            name: self.cleaned_data.get(name, getattr(self.instance, name, None))
            for name in ("rate_plan", "room_type", "night")
        }
        night_rates_set(
            rate_plan_ids=[key["rate_plan"].pk],
            room_type_ids=[key["room_type"].pk],
            date_from=key["night"],
            date_to=key["night"],
            **{name: self.cleaned_data.get(name) for name in NightRate.SETTINGS},
        )
        return NightRate.objects.get(rate_plan=key["rate_plan"], room_type=key["room_type"], night=key["night"])


@admin.register(NightRate)
class NightRateAdmin(ServiceSavedAdminMixin, PropertyScopedAdmin):
    form = NightRateForm
    property_path = "room_type__property_id"
    scoped_related = {"rate_plan": "property_id", "room_type": "property_id"}
    list_display = ["rate_plan", "room_type", "night", "price", "min_stay_arrival", "closed_to_arrival", "stop_sell"]
    list_filter = [("rate_plan", OWN), ("room_type", OWN), "closed_to_arrival", "closed_to_departure", "stop_sell"]
    date_hierarchy = "night"
    list_select_related = ["rate_plan", "room_type"]

    def get_readonly_fields(self, request: HttpRequest, obj: NightRate | None = None) -> tuple[str, ...]:
        return ("rate_plan", "room_type", "night") if obj else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a night without a row is "not for sale"; staff stop-sell instead


@admin.register(Allocation)
class AllocationAdmin(PropertyScopedAdmin):
    """Read-only: who holds what, for support questions."""

    property_path = "inventory__room_type__property_id"
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
