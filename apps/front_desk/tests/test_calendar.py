"""The ARI calendar and its bulk form through the admin: preview, write, refusal when it would
oversell (naming the nights), the warning above rooms in service; and rooms entering or leaving
service moving sellable on the nights ahead, never below what is sold."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from apps.availability.models import Inventory, NightRate, Room
from apps.bookings.interface import book
from apps.bookings.tests.factories import Hotel
from apps.front_desk.tests.conftest import ARRIVAL, client_for, guest, make_staff, stay

pytestmark = pytest.mark.django_db


def url(hotel: Hotel) -> str:
    return reverse("admin:availability_calendar", args=[hotel.property_id])


def bulk(hotel: Hotel, **changes: object) -> dict:
    data = {
        "date_from": ARRIVAL.isoformat(),
        "date_to": (ARRIVAL + timedelta(days=6)).isoformat(),
        "room_types": [hotel.room_type_id, hotel.other_room_type_id],
        "rate_plans": [hotel.rate_plan_id],
    }
    return data | changes


def cells(hotel: Hotel, field: str, nights: int = 7) -> list:
    rows = Inventory.objects.filter(room_type_id=hotel.room_type_id, night__gte=ARRIVAL).order_by("night")
    return list(rows.values_list(field, flat=True)[:nights])


def test_the_grid_shows_free_sold_and_prices(hotel) -> None:
    book(request=stay(hotel), actor=guest(hotel))
    revenue = client_for(make_staff("rev", "Revenue", hotel.property_id))

    page = revenue.get(url(hotel), {"start": ARRIVAL.isoformat(), "days": "14"})

    grid = page.context["grid"]
    assert len(grid["nights"]) == 14
    double = grid["rows"][0]
    assert (double["cells"][0]["free"], double["cells"][0]["sold"], double["cells"][0]["sellable"]) == (1, 1, 2)
    [(plan, prices), _breakfast] = double["plans"]
    assert (plan.pk, prices[0]["price"]) == (hotel.rate_plan_id, 100)


def test_preview_counts_the_cells_and_writes_nothing(hotel) -> None:
    revenue = client_for(make_staff("rev", "Revenue", hotel.property_id))

    page = revenue.post(url(hotel), bulk(hotel, price="130.00", min_stay_arrival="2", preview="1"))

    assert page.context["result"] == {"inventory_cells": 0, "rate_cells": 14, "short": [], "over_service": []}
    assert not NightRate.objects.filter(price=130).exists()


def test_apply_writes_a_week_of_rates_and_sellable_in_one_form(hotel) -> None:
    revenue = client_for(make_staff("rev", "Revenue", hotel.property_id))
    weekend = {"weekdays": [5, 6]}  # 10-16 Mar 2030: Sunday the 10th and Saturday the 16th

    response = revenue.post(url(hotel), bulk(hotel, price="150.00", closed_to_arrival="on", apply="1") | weekend)
    lowered = revenue.post(url(hotel), bulk(hotel, sellable="1", apply="1"))

    assert (response.status_code, lowered.status_code) == (302, 302)
    rates = NightRate.objects.filter(rate_plan_id=hotel.rate_plan_id, room_type_id=hotel.room_type_id)
    changed = sorted(rates.filter(price=150, closed_to_arrival=True).values_list("night", flat=True))
    assert changed == [date(2030, 3, 10), date(2030, 3, 16)]
    assert cells(hotel, "sellable") == [1] * 7


def test_sellable_below_sold_is_refused_naming_the_nights_and_changes_nothing(hotel) -> None:
    book(request=stay(hotel, rooms=2), actor=guest(hotel))  # both Doubles sold on 10 and 11 Mar
    revenue = client_for(make_staff("rev", "Revenue", hotel.property_id))

    preview = revenue.post(url(hotel), bulk(hotel, sellable="1", price="90.00", preview="1"))
    applied = revenue.post(url(hotel), bulk(hotel, sellable="1", price="90.00", apply="1"))

    assert [text.split(" (")[0] for text in preview.context["result"]["short"]] == [
        "Double 10 Mar 2030",
        "Double 11 Mar 2030",
    ]
    assert applied.status_code == 200
    assert "Cannot lower sellable to 1" in str(applied.context["form"].errors)
    assert cells(hotel, "sellable") == [2] * 7
    assert not NightRate.objects.filter(price=90).exists()  # all or nothing: the prices did not move either


def test_sellable_above_the_rooms_in_service_is_a_warning(hotel) -> None:
    revenue = client_for(make_staff("rev", "Revenue", hotel.property_id))
    page = revenue.post(url(hotel), bulk(hotel, sellable="5", preview="1"))
    assert page.context["result"]["over_service"] == ["Double: 2 rooms in service", "Suite: 2 rooms in service"]


def test_view_only_users_see_the_grid_but_cannot_post(hotel) -> None:
    reader = client_for(make_staff("reader", "Read-only", hotel.property_id))
    assert reader.get(url(hotel)).context["form"] is None
    assert reader.post(url(hotel), bulk(hotel, sellable="0", apply="1")).status_code == 403
    assert cells(hotel, "sellable") == [2] * 7


def test_a_room_out_of_order_lowers_sellable_ahead_but_never_below_sold(hotel, clock) -> None:
    clock.set(datetime(2030, 3, 9, 12, tzinfo=ZoneInfo("Europe/Berlin")))
    book(request=stay(hotel, rooms=2), actor=guest(hotel))  # 10-11 Mar: both Doubles sold
    keeper = client_for(make_staff("keeper", "Housekeeping", hotel.property_id))
    room = Room.objects.get(pk=hotel.room_ids[0])
    form = {"form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1, "form-0-id": room.pk, "_save": "Save"}

    out = keeper.post(
        reverse("admin:availability_room_changelist"), form | {"form-0-housekeeping_status": "out_of_order"}
    )
    sellable_out = cells(hotel, "sellable", nights=4)
    keeper.post(reverse("admin:availability_room_changelist"), form | {"form-0-housekeeping_status": "clean"})

    assert out.status_code == 302
    assert sellable_out == [2, 2, 1, 1]  # 10-11 Mar stay at the 2 sold; 12-13 Mar drop to 1
    assert cells(hotel, "sellable", nights=4) == [2, 2, 2, 2]  # back in service: never above the rooms in service
