"""release_inventory_from: an early departure gives back the nights from a date on, and only those."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from apps.availability.interface import (
    InventoryRequest,
    release_inventory,
    release_inventory_from,
    take_inventory,
)
from apps.availability.models import Allocation
from apps.availability.tests.factories import RoomTypeFactory, open_calendar
from apps.availability.tests.helpers import counters
from booking_platform.errors import ValidationFailed

D1 = date(2030, 3, 1)
D2, D3, D4 = D1 + timedelta(days=1), D1 + timedelta(days=2), D1 + timedelta(days=3)


def states(key: str) -> dict[date, str]:
    rows = Allocation.objects.filter(alloc_key=key).values_list("inventory__night", "state")
    return dict(sorted(rows))


@pytest.fixture
def room_type():
    room_type = RoomTypeFactory()
    open_calendar(room_type, D1, 4, sellable=3)
    return room_type


@pytest.mark.django_db
def test_gives_back_the_later_nights_only_and_once(room_type) -> None:
    take_inventory(key="A", items=[InventoryRequest(room_type.pk, D1, D4, units=2)])
    take_inventory(key="B", items=[InventoryRequest(room_type.pk, D1, D4)])
    assert release_inventory_from(key="A", first_night=D2) == 4
    assert counters(room_type.pk) == {D1: (3, 3, 0), D2: (3, 1, 0), D3: (3, 1, 0), D4: (3, 0, 0)}
    assert states("A") == {D1: "sold", D2: "released", D3: "released"}
    assert states("B") == {D1: "sold", D2: "sold", D3: "sold"}
    assert release_inventory_from(key="A", first_night=D2) == 0  # idempotent
    assert release_inventory_from(key="A", first_night=D3) == 0
    assert counters(room_type.pk) == {D1: (3, 3, 0), D2: (3, 1, 0), D3: (3, 1, 0), D4: (3, 0, 0)}
    assert release_inventory(key="A") == 2  # what is left: the first night
    assert counters(room_type.pk) == {D1: (3, 1, 0), D2: (3, 1, 0), D3: (3, 1, 0), D4: (3, 0, 0)}


@pytest.mark.django_db
def test_bounds_nothing_after_the_stay_everything_from_its_start(room_type) -> None:
    take_inventory(key="A", items=[InventoryRequest(room_type.pk, D1, D3)])
    assert release_inventory_from(key="A", first_night=D3) == 0  # the departure day was never a night
    assert counters(room_type.pk) == {D1: (3, 1, 0), D2: (3, 1, 0), D3: (3, 0, 0), D4: (3, 0, 0)}
    assert release_inventory_from(key="A", first_night=D1 - timedelta(days=5)) == 2
    assert counters(room_type.pk) == {D1: (3, 0, 0), D2: (3, 0, 0), D3: (3, 0, 0), D4: (3, 0, 0)}
    assert release_inventory_from(key="unknown", first_night=D1) == 0


@pytest.mark.django_db
def test_held_units_are_given_back_from_held(room_type) -> None:
    hold_until = timezone.now() + timedelta(minutes=15)
    take_inventory(key="A", items=[InventoryRequest(room_type.pk, D1, D3)], hold_until=hold_until)
    assert release_inventory_from(key="A", first_night=D2) == 1
    assert counters(room_type.pk) == {D1: (3, 0, 1), D2: (3, 0, 0), D3: (3, 0, 0), D4: (3, 0, 0)}


@pytest.mark.django_db
def test_a_key_is_required(room_type) -> None:
    with pytest.raises(ValidationFailed) as exc:
        release_inventory_from(key="", first_night=D1)
    assert exc.value.extra["field"] == "key"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_partial_and_full_releases_give_each_unit_back_once(require_postgres) -> None:
    room_type = RoomTypeFactory()
    open_calendar(room_type, D1, 4, sellable=3)
    take_inventory(key="A", items=[InventoryRequest(room_type.pk, D1, D4, units=2)])
    released: list[int] = []
    barrier = threading.Barrier(6)

    def run(work) -> None:
        try:
            barrier.wait(timeout=30)
            released.append(work())
        finally:
            connection.close()

    works = [lambda: release_inventory_from(key="A", first_night=D2)] * 3
    works += [lambda: release_inventory_from(key="A", first_night=D3)] * 2
    works += [lambda: release_inventory(key="A")]
    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(released) == 6
    assert sum(released) == 6  # 2 units x 3 nights, each given back exactly once
    assert counters(room_type.pk) == {D1: (3, 0, 0), D2: (3, 0, 0), D3: (3, 0, 0), D4: (3, 0, 0)}
    assert set(states("A").values()) == {"released"}
