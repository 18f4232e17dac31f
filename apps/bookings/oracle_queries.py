"""Booking hot paths, rendered for Oracle offline by ``manage.py oracle_sql``."""

from __future__ import annotations

from django.utils import timezone

from apps.bookings.models import SOLD_STATUSES, Booking, BookingRoom, Status
from booking_platform.db.oracle_offline import HotQuery


def hot_queries() -> list[HotQuery]:
    now = timezone.now()
    return [
        HotQuery("bookings: lock one booking", Booking.objects.select_for_update().filter(pk=1)),
        HotQuery(
            "bookings: lapsed holds for the sweeper",
            Booking.objects.filter(status=Status.HELD, expires_at__lte=now).order_by("expires_at").values("pk"),
        ),
        HotQuery(
            "bookings: lines counted by reconciliation",
            BookingRoom.objects.filter(booking__status__in=[*SOLD_STATUSES, Status.HELD])
            .filter(booking__check_in__lt=now.date(), booking__check_out__gt=now.date())
            .values_list("room_type_id", "booking__status", "booking__expires_at"),
        ),
        HotQuery(
            "bookings: blank special requests on erasure",
            Booking.objects.filter(customer_id=1).exclude(special_requests=""),
            update={"special_requests": "[erased]"},
        ),
    ]
