"""Occupancy, ADR, RevPAR and room revenue by date range, property and room type.

Definitions (stated on the page): rooms available = rooms of the type not out of order today x
nights in the range; rooms sold = room-nights of confirmed, in-house, departed and no-show
bookings (nights given back at an early departure do not count); room revenue = the nightly
prices as booked (VAT included); occupancy = sold / available; ADR = revenue / sold;
RevPAR = revenue / available. Amounts are per property, in its currency.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from apps.availability import interface as availability
from apps.bookings import interface as bookings
from apps.front_desk.chart import bar_chart
from apps.front_desk.scope import chosen_properties

MAX_DAYS = 366
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Line:
    label: str
    available: int
    sold: int
    revenue: Decimal

    @property
    def occupancy(self) -> Decimal:
        return _ratio(Decimal(self.sold * 100), self.available, Decimal("0.1"))

    @property
    def adr(self) -> Decimal:
        return _ratio(self.revenue, self.sold, CENT)

    @property
    def revpar(self) -> Decimal:
        return _ratio(self.revenue, self.available, CENT)


def _ratio(amount: Decimal, by: int, step: Decimal) -> Decimal:
    return (amount / by).quantize(step, ROUND_HALF_UP) if by else Decimal(0).quantize(step)


@dataclass(frozen=True)
class PropertyReport:
    prop: availability.PropertyInfo
    total: Line
    room_types: tuple[Line, ...]
    nights: tuple[tuple[date, Line], ...]


def property_reports(*, properties: dict, start: date, end: date) -> list[PropertyReport]:
    """Three queries for any number of properties, room types and nights."""
    nights = [start + timedelta(days=n) for n in range((end - start).days)]
    room_types = availability.room_types_of_properties(list(properties))
    in_service: dict[int, int] = defaultdict(int)
    for room in availability.rooms_of_properties(list(properties)):
        if room.housekeeping_status != "out_of_order":
            in_service[room.room_type_id] += 1
    sold: dict[tuple[int, date], list] = defaultdict(lambda: [0, ZERO])
    for row in bookings.sold_nights(property_ids=list(properties), start=start, end=end):
        cell = sold[(row.room_type_id, row.night)]
        cell[0] += row.rooms
        cell[1] += row.revenue
    reports = []
    for prop in properties.values():
        types = [rt for rt in room_types if rt.property_id == prop.id]
        per_type = []
        for rt in types:
            cells = [sold.get((rt.id, night), (0, ZERO)) for night in nights]
            per_type.append(
                Line(
                    rt.name,
                    in_service[rt.id] * len(nights),
                    sum(c[0] for c in cells),
                    sum((c[1] for c in cells), ZERO),
                )
            )
        per_night = []
        for night in nights:
            cells = [sold.get((rt.id, night), (0, ZERO)) for rt in types]
            available = sum(in_service[rt.id] for rt in types)
            per_night.append(
                (
                    night,
                    Line(night.isoformat(), available, sum(c[0] for c in cells), sum((c[1] for c in cells), ZERO)),
                )
            )
        total = Line(
            prop.name,
            sum(line.available for line in per_type),
            sum(line.sold for line in per_type),
            sum((line.revenue for line in per_type), ZERO),
        )
        reports.append(PropertyReport(prop, total, tuple(per_type), tuple(per_night)))
    return reports


def _range(request: HttpRequest) -> tuple[date, date, str]:
    today = timezone.localdate()
    default_start = today.replace(day=1)
    default_end = (default_start + timedelta(days=32)).replace(day=1)
    try:
        start = date.fromisoformat(request.GET.get("start") or default_start.isoformat())
        end = date.fromisoformat(request.GET.get("end") or default_end.isoformat())
    except ValueError:
        return default_start, default_end, "Dates are YYYY-MM-DD; showing this month."
    if not 0 < (end - start).days <= MAX_DAYS:
        return (
            default_start,
            default_end,
            f"The end must be after the start, at most {MAX_DAYS} days; showing this month.",
        )
    return start, end, ""


def reports_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("kernel.view_reports"):
        raise PermissionDenied
    properties, chosen = chosen_properties(request)
    start, end, problem = _range(request)
    reports = property_reports(properties=properties, start=start, end=end)
    charts = [
        bar_chart(
            [(night.strftime("%d"), float(line.occupancy)) for night, line in report.nights],
            title=f"{report.prop.name}: occupancy % per night",
            maximum=100.0,
        )
        for report in reports
    ]
    context = {
        **admin.site.each_context(request),
        "title": "Reports",
        "start": start,
        "end": end,
        "last_night": end - timedelta(days=1),
        "problem": problem,
        "reports": list(zip(reports, charts, strict=True)),
        "chosen": chosen,
    }
    return TemplateResponse(request, "front_desk/reports.html", context)
