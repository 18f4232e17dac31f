"""Booking lists for staff boards and reports: a constant number of queries per call."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from apps.bookings.models import SOLD_STATUSES, Booking, BookingRoom, Status
from apps.bookings.selectors import BookingInfo, booking_info


@dataclass(frozen=True)
class DayBoard:
    """A hotel day: who arrives, who leaves (still in house or already gone), who stays on."""

    day: date
    arrivals: tuple[BookingInfo, ...]  # confirmed, arriving that day
    departures: tuple[BookingInfo, ...]  # in house and due out that day or earlier, or checked out that day
    in_house: tuple[BookingInfo, ...]  # checked in, leaving after that day


def bookings_for_day(*, property_ids: Collection[int], day: date) -> DayBoard:
    """Two queries (bookings, their rooms), whatever the number of guests."""
    ids = list(property_ids)
    condition = (
        Q(status=Status.CONFIRMED, check_in=day)
        | Q(status=Status.CHECKED_IN, check_in__lte=day)
        | Q(status=Status.CHECKED_OUT, departed_on=day)
    )
    rows = Booking.objects.filter(condition, property_id__in=ids).prefetch_related("rooms").order_by("check_in", "pk")
    infos = [booking_info(booking) for booking in rows]
    arrivals = tuple(b for b in infos if b.status == Status.CONFIRMED)
    departures = tuple(
        b for b in infos if b.status == Status.CHECKED_OUT or (b.status == Status.CHECKED_IN and b.check_out <= day)
    )
    in_house = tuple(b for b in infos if b.status == Status.CHECKED_IN and b.check_out > day)
    return DayBoard(day=day, arrivals=arrivals, departures=departures, in_house=in_house)


@dataclass(frozen=True)
class SoldNight:
    """Rooms sold and their room revenue (prices as booked, VAT included) on one night."""

    property_id: int
    room_type_id: int
    night: date
    rooms: int
    revenue: Decimal


def sold_nights(*, property_ids: Collection[int], start: date, end: date) -> list[SoldNight]:
    """Nights in [start, end) of bookings that count as sold; nights given back at an early departure do not.

    One query over the room lines; the per-night prices are those locked when the guest booked.
    """
    lines = BookingRoom.objects.filter(
        booking__property_id__in=list(property_ids),
        booking__status__in=SOLD_STATUSES,
        booking__check_in__lt=end,
        booking__check_out__gt=start,
    ).values_list("booking__property_id", "room_type_id", "nightly", "booking__departed_on")
    found: dict[tuple[int, int, date], list] = defaultdict(lambda: [0, Decimal("0.00")])
    for property_id, room_type_id, nightly, departed_on in lines:
        for item in nightly:
            night = date.fromisoformat(item["night"])
            if start <= night < end and (departed_on is None or night < departed_on):
                cell = found[(property_id, room_type_id, night)]
                cell[0] += 1
                cell[1] += Decimal(item["price"])
    return [
        SoldNight(property_id=key[0], room_type_id=key[1], night=key[2], rooms=value[0], revenue=value[1])
        for key, value in sorted(found.items())
    ]


def customer_ids_at_properties(property_ids: Collection[int]) -> QuerySet:
    """Guests who booked at any of the properties, as a subquery (staff see those guests)."""
    return Booking.objects.filter(property_id__in=list(property_ids)).values("customer_id")
