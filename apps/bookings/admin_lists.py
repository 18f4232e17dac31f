"""What the booking list shows and filters by: guest names, property names, room numbers, dates.

Names come from the customers and availability interfaces in one query each per page, so the
list costs the same number of queries for 5 bookings or 100.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from apps.availability import interface as availability
from apps.bookings.models import Booking
from apps.bookings.references import normalise_reference
from apps.customers import interface as customers
from booking_platform.staff.access import staff_property_ids

ERASED = "(guest data erased)"


def decorate(bookings: list[Booking]) -> None:
    """Attach guest, property and room-number labels to each booking (3 queries for the whole page)."""
    guests = customers.customers_by_ids({b.customer_id for b in bookings})
    props = availability.properties_by_ids({b.property_id for b in bookings})
    room_ids = {line.assigned_room_id for b in bookings for line in b.rooms.all() if line.assigned_room_id}
    rooms = availability.rooms_by_ids(room_ids) if room_ids else {}
    for booking in bookings:
        guest = guests.get(booking.customer_id)
        booking.guest_label = f"{guest[0]} {guest[1]}".strip() or guest[2] if guest else ERASED
        booking.guest_email = guest[2] if guest else ""
        booking.property_label = props[booking.property_id].name if booking.property_id in props else "?"
        booking.room_labels = [
            rooms[line.assigned_room_id].room_number if line.assigned_room_id in rooms else line.room_type_name
            for line in booking.rooms.all()
        ]


class BookingChangeList(ChangeList):
    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        decorate(list(self.result_list))


class PropertyFilter(admin.SimpleListFilter):
    """Only the user's own properties are offered (and filtering by another one shows nothing)."""

    title = "property"
    parameter_name = "property"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        scope = staff_property_ids(request.user)
        props = availability.properties_by_ids(None if scope is None else scope)
        return [(str(pk), info.name) for pk, info in props.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Booking]) -> QuerySet[Booking]:
        value = self.value()
        return queryset.filter(property_id=int(value)) if value and value.isdigit() else queryset


def _day_ranges(today: date) -> dict[str, tuple[date, date]]:
    monday = today - timedelta(days=today.weekday())
    return {
        "today": (today, today),
        "tomorrow": (today + timedelta(days=1), today + timedelta(days=1)),
        "week": (monday, monday + timedelta(days=6)),
        "next7": (today, today + timedelta(days=6)),
    }


def _parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None  # a mistyped date filters nothing rather than failing the list


class _DayFilter(admin.SimpleListFilter):
    """Today / tomorrow / this week / next 7 days, or any range typed in the from and to boxes."""

    field = ""
    template = "admin/bookings/booking/day_filter.html"

    def __init__(self, request: HttpRequest, params: dict[str, list[str]], model: Any, model_admin: Any) -> None:
        super().__init__(request, params, model, model_admin)
        for name in self.range_parameters():
            if name in params:
                self.used_parameters[name] = params.pop(name)[-1]
        self.hidden: list[tuple[str, str]] = []

    def range_parameters(self) -> tuple[str, str]:
        return (f"{self.parameter_name}_from", f"{self.parameter_name}_to")

    def expected_parameters(self) -> list[str]:
        return [self.parameter_name, *self.range_parameters()]

    def has_output(self) -> bool:
        return True

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("today", "Today"), ("tomorrow", "Tomorrow"), ("week", "This week"), ("next7", "Next 7 days")]

    def span(self) -> tuple[date | None, date | None]:
        preset = _day_ranges(timezone.localdate()).get(self.value() or "")
        if preset is not None:
            return preset
        start, end = (_parse_day(self.used_parameters.get(name)) for name in self.range_parameters())
        return start, end

    def choices(self, changelist: Any) -> Any:
        own = set(self.expected_parameters())
        self.hidden = [(key, value) for key, value in changelist.params.items() if key not in own]
        self.range_values = [self.used_parameters.get(name, "") for name in self.range_parameters()]
        ranged = any(self.range_values)
        yield {
            "selected": self.value() is None and not ranged,
            "query_string": changelist.get_query_string(remove=self.expected_parameters()),
            "display": "All",
        }
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}, self.range_parameters()),
                "display": label,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Booking]) -> QuerySet[Booking]:
        start, end = self.span()
        if start is not None:
            queryset = queryset.filter(**{f"{self.field}__gte": start})
        if end is not None:
            queryset = queryset.filter(**{f"{self.field}__lte": end})
        return queryset


class ArrivalFilter(_DayFilter):
    title = "arrival"
    parameter_name = "arrival"
    field = "check_in"


class DepartureFilter(_DayFilter):
    title = "departure"
    parameter_name = "departure"
    field = "check_out"


def search_condition(term: str) -> Q:
    """A reference as typed (any case, with or without dashes), a guest name or an email."""
    term = (term or "").strip()
    condition = Q(customer_id__in=customers.customer_ids_matching(term))
    reference = normalise_reference(term)
    if reference:
        condition |= Q(reference=reference)
    elif len(term) >= 3:
        condition |= Q(reference__icontains=term.upper())
    return condition
