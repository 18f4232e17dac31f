from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from apps.availability.interface import (
    HoldExpired,
    InventoryRequest,
    NotAvailable,
    confirm_hold,
    inventory_counts,
    reclaim_expired_holds,
    release_inventory,
    repair_inventory_counts,
    take_inventory,
)
from apps.availability.models import Allocation, Inventory
from apps.availability.tests.factories import RoomTypeFactory, open_calendar
from apps.availability.tests.helpers import counters
from booking_platform.errors import Conflict, ValidationFailed

pytestmark = pytest.mark.django_db
D1 = date(2030, 3, 1)
D2, D3, D4 = D1 + timedelta(days=1), D1 + timedelta(days=2), D1 + timedelta(days=3)


def soon(minutes: int = 15):
    return timezone.now() + timedelta(minutes=minutes)


@pytest.fixture
def room_type():
    room_type = RoomTypeFactory()
    open_calendar(room_type, D1, 3, sellable=2)
    return room_type


def test_take_as_sold_counts_every_night(room_type) -> None:
    take_inventory(key="A", items=[InventoryRequest(room_type.pk, D1, D3, units=2)])
    assert counters(room_type.pk) == {D1: (2, 2, 0), D2: (2, 2, 0), D3: (2, 0, 0)}
    assert list(Allocation.objects.values_list("alloc_key", "units", "state")) == [("A", 2, "sold"), ("A", 2, "sold")]


def test_hold_then_confirm_moves_held_to_sold(room_type) -> None:
    take_inventory(key="H", items=[InventoryRequest(room_type.pk, D1, D2)], hold_until=soon())
    assert counters(room_type.pk)[D1] == (2, 0, 1)
    confirm_hold(key="H")
    assert counters(room_type.pk)[D1] == (2, 1, 0)
    confirm_hold(key="H")  # a repeat changes nothing
    assert counters(room_type.pk)[D1] == (2, 1, 0)


def test_short_night_is_named_and_nothing_changes(room_type) -> None:
    Inventory.objects.filter(room_type=room_type, night=D2).update(sellable=1)
    take_inventory(key="A", items=[InventoryRequest(room_type.pk, D2, D3)])
    before = counters(room_type.pk)
    with pytest.raises(NotAvailable) as caught:
        take_inventory(key="B", items=[InventoryRequest(room_type.pk, D1, D4)])
    assert caught.value.code == "not_available"
    assert caught.value.extra["nights"] == ["2030-03-02"]
    assert caught.value.extra["short"] == [{"room_type_id": room_type.pk, "night": "2030-03-02", "available": 0}]
    assert "2 Mar 2030" in caught.value.message
    assert counters(room_type.pk) == before
    assert not Allocation.objects.filter(alloc_key="B").exists()


def test_missing_inventory_row_and_stop_sell_are_not_available(room_type) -> None:
    Inventory.objects.filter(room_type=room_type, night=D1).update(stop_sell=True)
    with pytest.raises(NotAvailable) as caught:
        take_inventory(key="A", items=[InventoryRequest(room_type.pk, D1, D1 + timedelta(days=5))])
    assert caught.value.extra["nights"] == ["2030-03-01", "2030-03-04", "2030-03-05"]
    assert counters(room_type.pk) == {D1: (2, 0, 0), D2: (2, 0, 0), D3: (2, 0, 0)}


def test_overlapping_items_add_up(room_type) -> None:
    items = [InventoryRequest(room_type.pk, D1, D3), InventoryRequest(room_type.pk, D2, D4)]
    take_inventory(key="A", items=items)
    assert counters(room_type.pk) == {D1: (2, 1, 0), D2: (2, 2, 0), D3: (2, 1, 0)}
    with pytest.raises(NotAvailable) as caught:
        take_inventory(key="B", items=[InventoryRequest(room_type.pk, D1, D4, units=2)])
    assert caught.value.extra["nights"] == ["2030-03-01", "2030-03-02", "2030-03-03"]


def test_mixed_units_in_one_take(room_type) -> None:
    other = RoomTypeFactory(property=room_type.property)
    open_calendar(other, D1, 1, sellable=5)
    take_inventory(key="A", items=[InventoryRequest(room_type.pk, D1, D2), InventoryRequest(other.pk, D1, D2, units=4)])
    assert counters(room_type.pk)[D1] == (2, 1, 0)
    assert counters(other.pk)[D1] == (5, 4, 0)


def test_same_key_same_items_is_a_noop_other_items_conflict(room_type) -> None:
    items = [InventoryRequest(room_type.pk, D1, D2)]
    take_inventory(key="A", items=items)
    take_inventory(key="A", items=items)
    assert counters(room_type.pk)[D1] == (2, 1, 0)
    with pytest.raises(Conflict) as caught:
        take_inventory(key="A", items=[InventoryRequest(room_type.pk, D1, D3)])
    assert caught.value.code == "allocation_key_used"
    assert counters(room_type.pk) == {D1: (2, 1, 0), D2: (2, 0, 0), D3: (2, 0, 0)}


def test_release_is_idempotent_and_returns_unit_nights(room_type) -> None:
    take_inventory(key="A", items=[InventoryRequest(room_type.pk, D1, D3, units=2)], hold_until=soon())
    assert release_inventory(key="A") == 4
    assert release_inventory(key="A") == 0
    assert release_inventory(key="unknown") == 0
    assert counters(room_type.pk) == {D1: (2, 0, 0), D2: (2, 0, 0), D3: (2, 0, 0)}
    with pytest.raises(HoldExpired):
        confirm_hold(key="A")
    with pytest.raises(Conflict):
        take_inventory(key="A", items=[InventoryRequest(room_type.pk, D1, D3)])


def test_release_sold(room_type) -> None:
    take_inventory(key="A", items=[InventoryRequest(room_type.pk, D1, D2)])
    assert release_inventory(key="A") == 1
    assert counters(room_type.pk)[D1] == (2, 0, 0)


def test_expired_hold_is_free_for_the_next_take_before_any_sweep(room_type) -> None:
    take_inventory(key="A", items=[InventoryRequest(room_type.pk, D1, D2, units=2)], hold_until=soon())
    Allocation.objects.filter(alloc_key="A").update(expires_at=timezone.now() - timedelta(seconds=1))
    assert inventory_counts(start=D1, end=D2) == {(room_type.pk, D1): (0, 0)}
    take_inventory(key="B", items=[InventoryRequest(room_type.pk, D1, D2, units=2)])
    assert counters(room_type.pk)[D1] == (2, 2, 0)
    assert Allocation.objects.get(alloc_key="A").state == "expired"
    with pytest.raises(HoldExpired):
        confirm_hold(key="A")
    assert release_inventory(key="A") == 0
    assert counters(room_type.pk)[D1] == (2, 2, 0)


def test_confirm_of_a_lapsed_hold_refuses_and_keeps_counters(room_type) -> None:
    take_inventory(key="A", items=[InventoryRequest(room_type.pk, D1, D2)], hold_until=soon())
    Allocation.objects.filter(alloc_key="A").update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(HoldExpired) as caught:
        confirm_hold(key="A")
    assert caught.value.code == "hold_expired"
    assert counters(room_type.pk)[D1] == (2, 0, 1)


def test_reclaim_sweeps_only_lapsed_holds(room_type) -> None:
    take_inventory(key="old", items=[InventoryRequest(room_type.pk, D1, D3)], hold_until=soon(1))
    take_inventory(key="new", items=[InventoryRequest(room_type.pk, D1, D2)], hold_until=soon(30))
    assert reclaim_expired_holds(now=timezone.now() + timedelta(minutes=5)) == 2
    assert counters(room_type.pk) == {D1: (2, 0, 1), D2: (2, 0, 0), D3: (2, 0, 0)}
    assert reclaim_expired_holds() == 0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"items": []}, "items"),
        ({"items": [InventoryRequest(1, D2, D1)]}, "check_out"),
        ({"items": [InventoryRequest(1, D1, D2, units=0)]}, "units"),
        ({"key": ""}, "key"),
        ({"hold_until": timezone.now() - timedelta(minutes=1)}, "hold_until"),
        ({"hold_until": datetime(2100, 1, 1)}, "hold_until"),
    ],
)
def test_bad_requests_name_the_field(room_type, kwargs, field) -> None:
    arguments = {"key": "K", "items": [InventoryRequest(room_type.pk, D1, D2)], **kwargs}
    with pytest.raises(ValidationFailed) as caught:
        take_inventory(**arguments)
    assert caught.value.extra == {"field": field}
    assert not Allocation.objects.exists()


def test_repair_sets_counts_from_bookings(room_type) -> None:
    take_inventory(key="A", items=[InventoryRequest(room_type.pk, D1, D2)])
    changed = repair_inventory_counts(counts={(room_type.pk, D1): (0, 0), (room_type.pk, D2): (1, 1)})
    assert changed == 2
    assert counters(room_type.pk) == {D1: (2, 0, 0), D2: (2, 1, 1), D3: (2, 0, 0)}
    assert repair_inventory_counts(counts={(room_type.pk, D2): (1, 1)}) == 0
    assert inventory_counts(start=D1, end=D3) == {(room_type.pk, D1): (0, 0), (room_type.pk, D2): (1, 1)}


def test_repair_raises_sellable_when_bookings_exceed_it(room_type, caplog) -> None:
    assert repair_inventory_counts(counts={(room_type.pk, D1): (3, 0)}) == 1
    assert counters(room_type.pk)[D1] == (3, 3, 0)
    assert "inventory overbooked" in caplog.text
    assert repair_inventory_counts(counts={}) == 0


def test_sweep_task_reclaims(room_type) -> None:
    from apps.availability.tasks import reclaim_holds

    take_inventory(key="A", items=[InventoryRequest(room_type.pk, D1, D3)], hold_until=soon())
    Allocation.objects.update(expires_at=timezone.now())
    assert reclaim_holds.delay().get() == 2
    assert counters(room_type.pk)[D1] == (2, 0, 0)
