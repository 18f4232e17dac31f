"""Report figures against values worked out by hand for a small seeded month (March 2030).

Hotel: 2 Doubles (Flexible 100.00, Breakfast 120.00 a night) and 2 Suites (Flexible 200.00), no VAT.
  B1 Double Flexible    1-4 Mar: 3 nights x 100 = 300.00
  B2 Suite Flexible    10-12 Mar: 2 nights x 200 = 400.00
  B3 Double Breakfast  30 Mar-2 Apr: 30 and 31 Mar in range, 2 x 120 = 240.00 (1 Apr is April's)
  B4 Double Flexible    5-7 Mar, cancelled: not counted
March has 31 nights: 62 Double and 62 Suite room-nights available.
  Double: sold 5, revenue 540.00, occupancy 5/62 = 8.1 %, ADR 108.00, RevPAR 540/62 = 8.71
  Suite:  sold 2, revenue 400.00, occupancy 2/62 = 3.2 %, ADR 200.00, RevPAR 400/62 = 6.45
  Hotel:  sold 7 of 124, revenue 940.00, occupancy 5.6 %, ADR 134.29, RevPAR 7.58
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from apps.bookings.interface import Actor, RoomRequest, StayRequest, book, cancel_booking
from apps.bookings.tests.factories import Hotel, make_hotel
from apps.front_desk.tests.conftest import client_for, make_staff

pytestmark = pytest.mark.django_db
MARCH, APRIL = date(2030, 3, 1), date(2030, 4, 1)


def _book(hotel: Hotel, check_in: date, check_out: date, room_type_id: int, rate_plan_id: int) -> int:
    request = StayRequest(
        property_id=hotel.property_id,
        customer_id=hotel.guest_id,
        check_in=check_in,
        check_out=check_out,
        rooms=[RoomRequest(room_type_id=room_type_id, rate_plan_id=rate_plan_id, adults=2)],
        channel="web",
    )
    return book(request=request, actor=Actor.guest(hotel.guest_id)).id


@pytest.fixture
def month() -> Hotel:
    hotel = make_hotel(start=MARCH, nights=33)
    _book(hotel, date(2030, 3, 1), date(2030, 3, 4), hotel.room_type_id, hotel.rate_plan_id)
    _book(hotel, date(2030, 3, 10), date(2030, 3, 12), hotel.other_room_type_id, hotel.rate_plan_id)
    _book(hotel, date(2030, 3, 30), date(2030, 4, 2), hotel.room_type_id, hotel.other_rate_plan_id)
    cancelled = _book(hotel, date(2030, 3, 5), date(2030, 3, 7), hotel.room_type_id, hotel.rate_plan_id)
    cancel_booking(booking_id=cancelled, actor=Actor.staff(1))
    return hotel


def test_reports_match_the_hand_computed_month(month: Hotel) -> None:
    manager = client_for(make_staff("boss", "Owner / manager", month.property_id))

    page = manager.get(reverse("admin:front_desk_reports"), {"start": "2030-03-01", "end": "2030-04-01"})

    [(report, chart)] = page.context["reports"]
    rows = [
        (line.label, line.available, line.sold, line.revenue, line.occupancy, line.adr, line.revpar)
        for line in report.room_types
    ]
    assert rows == [
        ("Double", 62, 5, Decimal("540.00"), Decimal("8.1"), Decimal("108.00"), Decimal("8.71")),
        ("Suite", 62, 2, Decimal("400.00"), Decimal("3.2"), Decimal("200.00"), Decimal("6.45")),
    ]
    total = report.total
    assert (total.available, total.sold, total.revenue) == (124, 7, Decimal("940.00"))
    assert (total.occupancy, total.adr, total.revpar) == (Decimal("5.6"), Decimal("134.29"), Decimal("7.58"))
    nights = dict(report.nights)
    assert (nights[date(2030, 3, 1)].sold, nights[date(2030, 3, 5)].sold, nights[date(2030, 3, 31)].sold) == (1, 0, 1)
    assert nights[date(2030, 3, 10)].occupancy == Decimal("25.0")  # 1 of 4 rooms
    assert chart.startswith("<svg")
    assert "<script" not in chart
    assert chart.count('class="report-bar"') == 31


def test_reports_need_their_permission(month: Hotel) -> None:
    desk = client_for(make_staff("desk", "Front desk", month.property_id))
    assert desk.get(reverse("admin:front_desk_reports")).status_code == 403


def test_export_bookings_command_writes_the_months_bookings(month: Hotel, tmp_path: Path) -> None:
    target = tmp_path / "march.csv"
    call_command("export_bookings", "--start", "2030-03-01", "--end", "2030-04-01", "--output", str(target))
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert sorted((row["check_in"], row["status"], row["total"]) for row in rows) == [
        ("2030-03-01", "confirmed", "300.00"),
        ("2030-03-05", "cancelled", "200.00"),
        ("2030-03-10", "confirmed", "400.00"),
        ("2030-03-30", "confirmed", "360.00"),
    ]
    assert {row["nights"] for row in rows} == {"3", "2"}


def test_export_bookings_refuses_a_backwards_range(month: Hotel) -> None:
    with pytest.raises(CommandError, match="--end must be after --start"):
        call_command("export_bookings", "--start", "2030-04-01", "--end", "2030-03-01")
