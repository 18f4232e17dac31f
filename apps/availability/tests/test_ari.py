from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.availability.interface import InventoryRequest, take_inventory
from apps.availability.models import Allocation, Inventory, NightRate, RatePlan
from apps.availability.services.ari import calendar_nights, inventory_update, night_rates_set
from apps.availability.tests.factories import RatePlanFactory, RoomFactory, RoomTypeFactory, open_calendar
from apps.availability.tests.helpers import counters
from booking_platform.errors import Conflict, ValidationFailed

pytestmark = pytest.mark.django_db
MON = date(2030, 4, 1)  # a Monday


def test_calendar_nights_filters_weekdays_inclusive_range() -> None:
    nights = calendar_nights(date_from=MON, date_to=MON + timedelta(days=13), weekdays=[4, 5])
    assert nights == [date(2030, 4, 5), date(2030, 4, 6), date(2030, 4, 12), date(2030, 4, 13)]
    with pytest.raises(ValidationFailed) as caught:
        calendar_nights(date_from=MON, date_to=MON - timedelta(days=1))
    assert caught.value.extra == {"field": "date_to"}
    with pytest.raises(ValidationFailed) as caught:
        calendar_nights(date_from=MON, date_to=MON, weekdays=[7])
    assert caught.value.extra == {"field": "weekdays"}


def test_rates_upsert_updates_existing_and_creates_missing() -> None:
    room_type = RoomTypeFactory(default_price=Decimal("90.00"))
    plan = RatePlanFactory(property=room_type.property, room_types=[room_type])
    open_calendar(room_type, MON, 3, plans=(plan,), price="100.00")
    written = night_rates_set(
        rate_plan_ids=[plan.pk], room_type_ids=[room_type.pk], date_from=MON + timedelta(days=1),
        date_to=MON + timedelta(days=4), min_stay_arrival=2,
    )  # fmt: skip
    assert written == 4
    rows = NightRate.objects.filter(rate_plan=plan).order_by("night").values_list("night", "price", "min_stay_arrival")
    assert list(rows) == [
        (MON, Decimal("100.00"), None),
        (MON + timedelta(days=1), Decimal("100.00"), 2),
        (MON + timedelta(days=2), Decimal("100.00"), 2),
        (MON + timedelta(days=3), Decimal("90.00"), 2),
        (MON + timedelta(days=4), Decimal("90.00"), 2),
    ]
    night_rates_set(rate_plan_ids=[plan.pk], room_type_ids=[room_type.pk], date_from=MON, date_to=MON + timedelta(6),
                    weekdays=[0], price=Decimal("80.00"))  # fmt: skip
    assert NightRate.objects.get(rate_plan=plan, night=MON).price == Decimal("80.00")
    assert NightRate.objects.count() == 5


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({}, "changes"),
        ({"colour": "red"}, "changes"),
        ({"price": Decimal("-1")}, "price"),
        ({"min_stay_arrival": 0}, "min_stay_arrival"),
        ({"extra_child_price": None}, "extra_child_price"),
    ],
)
def test_rates_bad_changes_name_the_field_and_write_nothing(changes, field) -> None:
    room_type = RoomTypeFactory()
    plan = RatePlanFactory(property=room_type.property)
    with pytest.raises(ValidationFailed) as caught:
        night_rates_set(rate_plan_ids=[plan.pk], room_type_ids=[room_type.pk], date_from=MON, date_to=MON, **changes)
    assert caught.value.extra == {"field": field}
    assert not NightRate.objects.exists()


def test_derived_plans_and_foreign_room_types_are_refused() -> None:
    room_type = RoomTypeFactory()
    parent = RatePlanFactory(property=room_type.property)
    child = RatePlanFactory(property=room_type.property, parent=parent, derivation_kind="amount")
    with pytest.raises(ValidationFailed) as caught:
        night_rates_set(rate_plan_ids=[child.pk], room_type_ids=[room_type.pk], date_from=MON, date_to=MON, price=1)
    assert caught.value.code == "derived_rate_plan"
    other = RoomTypeFactory()
    with pytest.raises(ValidationFailed) as caught:
        night_rates_set(rate_plan_ids=[parent.pk], room_type_ids=[other.pk], date_from=MON, date_to=MON, price=1)
    assert caught.value.code == "other_property"
    assert not NightRate.objects.exists()


def test_inventory_update_creates_with_rooms_in_service_and_sets_stop_sell() -> None:
    room_type = RoomTypeFactory()
    RoomFactory.create_batch(3, room_type=room_type)
    RoomFactory(room_type=room_type, housekeeping_status="out_of_order")
    assert (
        inventory_update(room_type_ids=[room_type.pk], date_from=MON, date_to=MON + timedelta(1), stop_sell=True) == 2
    )
    rows = Inventory.objects.order_by("night").values_list("sellable", "stop_sell")
    assert list(rows) == [(3, True), (3, True)]
    inventory_update(room_type_ids=[room_type.pk], date_from=MON, date_to=MON, sellable=5, stop_sell=False)
    assert list(Inventory.objects.order_by("night").values_list("sellable", "stop_sell")) == [(5, False), (3, True)]


def test_lowering_sellable_below_taken_is_refused_and_changes_nothing() -> None:
    room_type = RoomTypeFactory()
    open_calendar(room_type, MON, 3, sellable=4)
    take_inventory(key="A", items=[InventoryRequest(room_type.pk, MON + timedelta(1), MON + timedelta(2), units=2)])
    take_inventory(
        key="B", items=[InventoryRequest(room_type.pk, MON + timedelta(1), MON + timedelta(2))],
        hold_until=timezone.now() + timedelta(minutes=5),
    )  # fmt: skip
    with pytest.raises(Conflict) as caught:
        inventory_update(room_type_ids=[room_type.pk], date_from=MON, date_to=MON + timedelta(2), sellable=2)
    assert caught.value.code == "sellable_below_taken"
    assert caught.value.extra == {"field": "sellable", "nights": ["2030-04-02"]}
    assert caught.value.message == "Cannot lower sellable to 2: 2 Apr 2030 (3 sold or held)."
    assert counters(room_type.pk)[MON] == (4, 0, 0)
    assert counters(room_type.pk)[MON + timedelta(1)] == (4, 2, 1)
    # once the hold lapses it no longer counts, without any sweep
    Allocation.objects.filter(alloc_key="B").update(expires_at=timezone.now() - timedelta(seconds=1))
    assert inventory_update(room_type_ids=[room_type.pk], date_from=MON, date_to=MON + timedelta(2), sellable=2) == 3
    assert counters(room_type.pk) == {MON: (2, 0, 0), MON + timedelta(1): (2, 2, 0), MON + timedelta(2): (2, 0, 0)}


def test_rate_plan_validation_in_clean() -> None:
    parent = RatePlanFactory()
    grandparent_child = RatePlanFactory(property=parent.property, parent=parent, derivation_kind="percent")
    plan = RatePlan(property=parent.property, code="X", name="X", parent=grandparent_child, derivation_kind="amount")
    with pytest.raises(Exception, match="cannot itself be derived"):
        plan.full_clean()
