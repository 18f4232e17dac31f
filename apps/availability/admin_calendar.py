"""The ARI calendar: room types x nights with sellable, sold, held, free, price per rate plan and
restrictions, and a bulk form that writes through ``inventory_update`` / ``night_rates_set``.

The bulk form previews how many cells would change, refuses to push sellable below what is sold
or held (naming the nights) and warns when sellable exceeds the rooms in service. Applying is one
transaction: all or nothing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone

from apps.availability.domain import night_words
from apps.availability.models import Inventory, NightRate, Property, RatePlan, RoomType
from apps.availability.selectors.inventory import with_lapsed
from apps.availability.selectors.search import local_today
from apps.availability.services.ari import calendar_nights, inventory_update, night_rates_set, rooms_in_service
from booking_platform.errors import ApplicationError

MAX_DAYS = 60
TRI = [("", "unchanged"), ("on", "on"), ("off", "off")]
RATE_BOOLS = ("closed_to_arrival", "closed_to_departure", "stop_sell")
RATE_NUMBERS = ("price", "min_stay_arrival", "max_stay")
WEEKDAYS = [(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")]


def calendar_grid(*, prop: Property, start: date, days: int) -> dict[str, Any]:
    """Five queries for any number of room types, plans and nights."""
    nights = [start + timedelta(days=n) for n in range(days)]
    room_types = list(RoomType.objects.filter(property=prop, is_active=True).order_by("sort_order", "id"))
    plans = list(RatePlan.objects.filter(property=prop, is_active=True, parent__isnull=True).order_by("id"))
    service = rooms_in_service([rt.pk for rt in room_types])
    inventory = with_lapsed(
        Inventory.objects.filter(room_type__in=room_types, night__gte=nights[0], night__lte=nights[-1]), timezone.now()
    )
    cells: dict[tuple[int, date], dict] = {}
    for row in inventory.values("room_type_id", "night", "sellable", "sold", "held", "stop_sell", "lapsed"):
        held = row["held"] - row["lapsed"]
        free = 0 if row["stop_sell"] else max(row["sellable"] - row["sold"] - held, 0)
        level = "none" if free == 0 else "low" if free * 4 <= row["sellable"] else "ok"
        cells[(row["room_type_id"], row["night"])] = {**row, "held": held, "free": free, "level": level}
    rates: dict[tuple[int, int, date], dict] = {}
    rate_rows = NightRate.objects.filter(rate_plan__in=plans, room_type__in=room_types, night__gte=nights[0])
    for row in rate_rows.filter(night__lte=nights[-1]).values(
        "rate_plan_id", "room_type_id", "night", *NightRate.SETTINGS
    ):
        rates[(row["rate_plan_id"], row["room_type_id"], row["night"])] = row
    rows = []
    for rt in room_types:
        plan_rows = [(plan, [rates.get((plan.pk, rt.pk, night)) for night in nights]) for plan in plans]
        rows.append(
            {
                "room_type": rt,
                "in_service": service.get(rt.pk, 0),
                "cells": [cells.get((rt.pk, n)) for n in nights],
                "plans": plan_rows,
            }
        )
    return {"nights": nights, "rows": rows}


class BulkForm(forms.Form):
    date_from = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), help_text="inclusive")
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS, coerce=int, required=False, widget=forms.CheckboxSelectMultiple, help_text="none: every day"
    )
    room_types = forms.ModelMultipleChoiceField(queryset=RoomType.objects.none(), widget=forms.CheckboxSelectMultiple)
    rate_plans = forms.ModelMultipleChoiceField(
        queryset=RatePlan.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    sellable = forms.IntegerField(min_value=0, required=False)
    inventory_stop_sell = forms.ChoiceField(choices=TRI, required=False, label="Stop-sell (rooms)")
    price = forms.DecimalField(max_digits=10, decimal_places=2, required=False)
    min_stay_arrival = forms.IntegerField(required=False, label="Min stay")
    max_stay = forms.IntegerField(required=False)
    closed_to_arrival = forms.ChoiceField(choices=TRI, required=False, label="CTA")
    closed_to_departure = forms.ChoiceField(choices=TRI, required=False, label="CTD")
    stop_sell = forms.ChoiceField(choices=TRI, required=False, label="Stop-sell (rate)")

    def __init__(self, *args: Any, prop: Property, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prop = prop
        self.fields["room_types"].queryset = RoomType.objects.filter(property=prop, is_active=True)
        self.fields["rate_plans"].queryset = RatePlan.objects.filter(property=prop, is_active=True, parent__isnull=True)

    def inventory_changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        changes: dict[str, Any] = {}
        if data.get("sellable") is not None:
            changes["sellable"] = data["sellable"]
        if data.get("inventory_stop_sell"):
            changes["stop_sell"] = data["inventory_stop_sell"] == "on"
        return changes

    def rate_changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        changes: dict[str, Any] = {name: data[name] for name in RATE_NUMBERS if data.get(name) is not None}
        changes.update({name: data[name] == "on" for name in RATE_BOOLS if data.get(name)})
        return changes

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        if not self.inventory_changes() and not self.rate_changes():
            raise forms.ValidationError("Set at least one value to change.")
        if self.rate_changes() and not data.get("rate_plans"):
            self.add_error("rate_plans", "Choose the rate plans whose prices or restrictions change.")
        return data

    def nights(self) -> list[date]:
        data = self.cleaned_data
        return calendar_nights(date_from=data["date_from"], date_to=data["date_to"], weekdays=data["weekdays"] or None)


def preview(form: BulkForm) -> dict[str, Any]:
    """How many cells change, which nights would oversell, where sellable exceeds rooms in service."""
    nights = form.nights()
    types = list(form.cleaned_data["room_types"])
    plans = list(form.cleaned_data["rate_plans"] or [])
    inv_changes, rate_changes = form.inventory_changes(), form.rate_changes()
    result: dict[str, Any] = {"inventory_cells": 0, "rate_cells": 0, "short": [], "over_service": []}
    if inv_changes:
        existing = {
            (row["room_type_id"], row["night"]): row
            for row in Inventory.objects.filter(room_type__in=types, night__in=nights).values(
                "room_type_id", "night", "sellable", "sold", "held", "stop_sell"
            )
        }
        service = rooms_in_service([rt.pk for rt in types])
        for rt in types:
            for night in nights:
                row = existing.get((rt.pk, night))
                if row is None or any(row[k] != v for k, v in inv_changes.items()):
                    result["inventory_cells"] += 1
                if row and "sellable" in inv_changes and inv_changes["sellable"] < row["sold"] + row["held"]:
                    result["short"].append(f"{rt.name} {night_words(night)} ({row['sold'] + row['held']} sold or held)")
            if "sellable" in inv_changes and inv_changes["sellable"] > service.get(rt.pk, 0):
                result["over_service"].append(f"{rt.name}: {service.get(rt.pk, 0)} rooms in service")
    if rate_changes:
        existing_rates = defaultdict(dict)
        for row in NightRate.objects.filter(rate_plan__in=plans, room_type__in=types, night__in=nights).values(
            "rate_plan_id", "room_type_id", "night", *rate_changes
        ):
            existing_rates[(row["rate_plan_id"], row["room_type_id"])][row["night"]] = row
        for plan in plans:
            for rt in types:
                for night in nights:
                    row = existing_rates[(plan.pk, rt.pk)].get(night)
                    if row is None or any(row[k] != v for k, v in rate_changes.items()):
                        result["rate_cells"] += 1
    return result


def apply(form: BulkForm) -> tuple[int, int]:
    """Both writes in one transaction: a refused sellable leaves the prices untouched too."""
    data = form.cleaned_data
    span = {"date_from": data["date_from"], "date_to": data["date_to"], "weekdays": data["weekdays"] or None}
    type_ids = [rt.pk for rt in data["room_types"]]
    inv = rates = 0
    with transaction.atomic():
        if form.inventory_changes():
            inv = inventory_update(room_type_ids=type_ids, **span, **form.inventory_changes())
        if form.rate_changes():
            plan_ids = [plan.pk for plan in data["rate_plans"]]
            rates = night_rates_set(rate_plan_ids=plan_ids, room_type_ids=type_ids, **span, **form.rate_changes())
    return inv, rates


def calendar_start(prop: Property, raw: str | None) -> date:
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        return local_today(prop.timezone)


def calendar_view(modeladmin: Any, request: HttpRequest, object_id: int) -> HttpResponse:
    """GET shows the grid; POST previews the bulk form, or applies it with ``apply`` (change_rates)."""
    prop = modeladmin.get_queryset(request).filter(pk=object_id).first()
    if prop is None:
        raise Http404("No such property.")
    user = request.user
    if not (user.has_perm("availability.view_inventory") or user.has_perm("availability.view_nightrate")):
        raise PermissionDenied
    can_change = user.has_perm("availability.change_rates")
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    start = calendar_start(prop, request.GET.get("start"))
    raw_days = request.GET.get("days", "14")
    days = min(max(int(raw_days), 1), MAX_DAYS) if raw_days.isdigit() else 14
    form = BulkForm(
        request.POST or None, prop=prop, initial={"date_from": start, "date_to": start + timedelta(days=days - 1)}
    )
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = preview(form)
            if "apply" in request.POST:
                inv, rates = apply(form)
                messages.success(request, f"Saved: {inv} inventory cell(s) and {rates} rate cell(s).")
                return HttpResponseRedirect(request.get_full_path())
        except ApplicationError as exc:
            field = exc.extra.get("field", "")
            form.add_error(field if field in form.fields else None, exc.message)
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": Property._meta,
        "title": f"{prop.name}: rates and availability",
        "prop": prop,
        "grid": calendar_grid(prop=prop, start=start, days=days),
        "days": days,
        "previous": start - timedelta(days=days),
        "next": start + timedelta(days=days),
        "form": form if can_change else None,
        "result": result,
    }
    return TemplateResponse(request, "admin/availability/calendar.html", context)
