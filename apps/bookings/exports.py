"""Bookings as CSV for accounting and hotel reports (admin action and ``manage.py export_bookings``)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO

from django.db.models import QuerySet
from django.http import HttpResponse

from apps.bookings.admin_lists import decorate
from apps.bookings.models import Booking

HEADER = (
    "reference",
    "status",
    "property",
    "guest",
    "email",
    "check_in",
    "check_out",
    "nights",
    "adults",
    "children",
    "rooms",
    "channel",
    "currency",
    "room_total",
    "taxes",
    "total",
    "cancellation_fee",
    "created_at",
)
PAGE = 500


def _rows(bookings: QuerySet[Booking]) -> Iterator[tuple]:
    """In pages of PAGE bookings: a constant number of queries per page, memory bounded."""
    ids = list(bookings.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), PAGE):
        page = list(Booking.objects.filter(pk__in=ids[start : start + PAGE]).prefetch_related("rooms").order_by("pk"))
        decorate(page)
        for b in page:
            yield (
                b.reference,
                b.status,
                b.property_label,
                b.guest_label,
                b.guest_email,
                b.check_in.isoformat(),
                b.check_out.isoformat(),
                (b.check_out - b.check_in).days,
                b.adults,
                b.children,
                " ".join(b.room_labels),
                b.channel,
                b.currency,
                b.room_total,
                b.taxes,
                b.total,
                b.cancellation_fee,
                b.created_at.isoformat(),
            )


def _safe(value: object) -> object:
    """Spreadsheets run cells that start with = + - @ as formulas; a guest name must not."""
    text = str(value)
    return f"'{text}" if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def bookings_csv_write(bookings: QuerySet[Booking], out: IO[str]) -> int:
    writer = csv.writer(out)
    writer.writerow(HEADER)
    count = 0
    for row in _rows(bookings):
        writer.writerow([_safe(value) for value in row])
        count += 1
    return count


def bookings_csv_response(bookings: QuerySet[Booking], filename: str = "bookings.csv") -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    bookings_csv_write(bookings, response)
    return response


def bookings_for_export(*, property_ids: Iterable[int] | None, start: date, end: date) -> QuerySet[Booking]:
    """Bookings whose stay overlaps [start, end), at the given properties (None: all)."""
    bookings = Booking.objects.filter(check_in__lt=end, check_out__gt=start)
    return bookings if property_ids is None else bookings.filter(property_id__in=list(property_ids))
