"""Recompute sold/held per (room type, night) from the bookings and compare with the inventory."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from apps.availability import interface as availability
from apps.bookings.models import SOLD_STATUSES, Booking, BookingRoom, Status

Counts = dict[tuple[int, date], tuple[int, int]]
HORIZON_DAYS = 730


@dataclass(frozen=True)
class Drift:
    room_type_id: int
    night: date
    expected: tuple[int, int]  # (sold, held) from the bookings
    actual: tuple[int, int]  # (sold, held) in the inventory

    def __str__(self) -> str:
        return (
            f"room type {self.room_type_id} night {self.night.isoformat()}: "
            f"inventory sold={self.actual[0]} held={self.actual[1]}, "
            f"bookings say sold={self.expected[0]} held={self.expected[1]}"
        )


def default_window(today: date) -> tuple[date, date]:
    """From the earliest booked night (or today) to the latest booked night or two years ahead."""
    bounds = Booking.objects.aggregate(first=Min("check_in"), last=Max("check_out"))
    start = min(bounds["first"] or today, today)
    end = max(bounds["last"] or today, today + timedelta(days=HORIZON_DAYS))
    return start, end


def expected_counts(*, start: date, end: date, now: datetime) -> Counts:
    """Sold: confirmed, in house, departed, no-show. Held: holds not yet expired. Per room line.

    A guest who departed early gave back the nights from ``departed_on`` on, so those are not sold.
    """
    counts: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    lines = BookingRoom.objects.filter(booking__check_in__lt=end, booking__check_out__gt=start).filter(
        booking__status__in=[*SOLD_STATUSES, Status.HELD]
    )
    rows = lines.values_list(
        "room_type_id",
        "booking__status",
        "booking__expires_at",
        "booking__check_in",
        "booking__check_out",
        "booking__departed_on",
    )
    for room_type_id, status, expires_at, check_in, check_out, departed_on in rows.iterator():
        if status == Status.HELD:
            if expires_at is None or expires_at <= now:
                continue
            slot = 1
        else:
            slot = 0
        night, last = max(check_in, start), min(check_out, departed_on or check_out, end)
        while night < last:
            counts[(room_type_id, night)][slot] += 1
            night += timedelta(days=1)
    return {key: (sold, held) for key, (sold, held) in counts.items()}


@contextmanager
def _one_snapshot() -> Iterator[None]:
    """Read bookings and inventory as of one moment (PostgreSQL: REPEATABLE READ; SQLite serialises)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def find_drift(*, start: date, end: date, now: datetime) -> list[Drift]:
    """Lapsed holds are reclaimed first; then both sides are read from one snapshot, at one instant."""
    availability.reclaim_expired_holds(now=now)
    with _one_snapshot():
        expected = expected_counts(start=start, end=end, now=now)
        actual = availability.inventory_counts(start=start, end=end, now=now)
    drifts = []
    for key in sorted(set(expected) | set(actual)):
        want, have = expected.get(key, (0, 0)), actual.get(key, (0, 0))
        if want != have:
            drifts.append(Drift(room_type_id=key[0], night=key[1], expected=want, actual=have))
    return drifts


def inventory_reconcile(*, fix: bool = False, start: date | None = None, end: date | None = None) -> list[Drift]:
    """Report every drift; with fix, repair those seen identically on two reads (not a booking in flight)."""
    now = timezone.now()
    default_start, default_end = default_window(timezone.localdate(now))
    start, end = start or default_start, end or default_end
    drifts = find_drift(start=start, end=end, now=now)
    if fix and drifts:
        again = set(find_drift(start=start, end=end, now=timezone.now()))
        steady = [drift for drift in drifts if drift in again]
        if steady:
            availability.repair_inventory_counts(counts={(d.room_type_id, d.night): d.expected for d in steady})
    return drifts
