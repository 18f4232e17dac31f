"""Staff edit sellable counts in admin without ever writing the sold/held counters back."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.availability.admin import InventoryAdmin
from apps.availability.interface import InventoryRequest, take_inventory
from apps.availability.models import Inventory, NightRate
from apps.availability.tests.factories import InventoryFactory, RatePlanFactory, RoomTypeFactory

pytestmark = pytest.mark.django_db
NIGHT = date(2030, 5, 1)


@pytest.fixture
def staff(admin_client: Client) -> Client:
    return admin_client


def _url(row: Inventory) -> str:
    return f"/admin/availability/inventory/{row.pk}/change/"


def test_saving_sellable_keeps_units_sold_while_the_save_was_under_way(
    staff: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = InventoryFactory(room_type=RoomTypeFactory(), night=NIGHT, sellable=3)
    stay = [InventoryRequest(row.room_type_id, NIGHT, NIGHT + timedelta(days=1))]
    load = InventoryAdmin.get_object

    def load_then_guests_book(self, request, object_id, from_field=None):
        loaded = load(self, request, object_id, from_field)
        if request.method == "POST":  # two guests book after admin read the row, before it writes
            take_inventory(key="bk-1", items=stay)
            take_inventory(key="bk-2", items=stay, hold_until=timezone.now() + timedelta(minutes=15))
        return loaded

    monkeypatch.setattr(InventoryAdmin, "get_object", load_then_guests_book)

    response = staff.post(_url(row), {"sellable": 5, "stop_sell": "on"})

    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.sellable, row.sold, row.held, row.stop_sell) == (5, 1, 1, True)


def test_sellable_below_what_is_taken_is_a_form_error_and_changes_nothing(staff: Client) -> None:
    row = InventoryFactory(room_type=RoomTypeFactory(), night=NIGHT, sellable=3)
    take_inventory(key="bk-1", items=[InventoryRequest(row.room_type_id, NIGHT, NIGHT + timedelta(days=1), units=2)])

    response = staff.post(_url(row), {"sellable": 1})

    assert response.status_code == 200
    assert "2 rooms are sold or held on this night" in response.content.decode()
    row.refresh_from_db()
    assert (row.sellable, row.sold, row.held, row.stop_sell) == (3, 2, 0, False)


def test_counters_and_keys_are_not_editable(staff: Client) -> None:
    row = InventoryFactory(room_type=RoomTypeFactory(), night=NIGHT, sellable=3)
    staff.post(_url(row), {"sellable": 3, "sold": 9, "held": 9, "night": "2031-01-01"})
    row.refresh_from_db()
    assert (row.night, row.sold, row.held) == (NIGHT, 0, 0)
    assert staff.get("/admin/availability/inventory/add/").status_code == 403


def test_a_derived_plan_cannot_be_priced_night_by_night(staff: Client) -> None:
    parent = RatePlanFactory()
    derived = RatePlanFactory(property=parent.property, parent=parent)
    room_type = RoomTypeFactory(property=parent.property)

    response = staff.post(
        "/admin/availability/nightrate/add/",
        {"rate_plan": derived.pk, "room_type": room_type.pk, "night": "2030-05-01", "price": "99.00"}
        | {"extra_adult_price": "0", "extra_child_price": "0"},
    )

    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"rate_plan"}  # the service's refusal, on its field
    assert not NightRate.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("price", "-5.00"), ("min_stay_arrival", "0"), ("max_stay", "0"), ("extra_adult_price", "-1")]
)
def test_night_rate_admin_saves_through_the_service_and_shows_its_refusals(
    staff: Client, field: str, value: str
) -> None:
    plan = RatePlanFactory()
    room_type = RoomTypeFactory(property=plan.property)
    form = {"rate_plan": plan.pk, "room_type": room_type.pk, "night": "2030-05-01", "price": "99.00"}
    form |= {"extra_adult_price": "0", "extra_child_price": "0", field: value}

    response = staff.post("/admin/availability/nightrate/add/", form)

    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {field}
    assert not NightRate.objects.exists()


def test_night_rate_admin_edits_one_night_through_the_service(staff: Client) -> None:
    plan = RatePlanFactory()
    room_type = RoomTypeFactory(property=plan.property)
    form = {"rate_plan": plan.pk, "room_type": room_type.pk, "night": "2030-05-01", "price": "99.00"}
    form |= {"extra_adult_price": "0", "extra_child_price": "0", "min_stay_arrival": "2"}

    added = staff.post("/admin/availability/nightrate/add/", form)
    row = NightRate.objects.get()
    changed = staff.post(
        f"/admin/availability/nightrate/{row.pk}/change/",
        {"price": "120.00", "extra_adult_price": "0", "extra_child_price": "0", "closed_to_arrival": "on"},
    )

    assert (added.status_code, changed.status_code) == (302, 302)
    row.refresh_from_db()
    assert (row.night, row.price, row.min_stay_arrival, row.closed_to_arrival) == (NIGHT, 120, None, True)
