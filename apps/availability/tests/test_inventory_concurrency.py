"""Races on PostgreSQL: real threads, each with its own connection, against committed rows."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from apps.availability.interface import (
    HoldExpired,
    InventoryRequest,
    NotAvailable,
    confirm_hold,
    reclaim_expired_holds,
    release_inventory,
    take_inventory,
)
from apps.availability.models import Allocation
from apps.availability.tests.factories import RoomTypeFactory, open_calendar
from apps.availability.tests.helpers import counters

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
D1 = date(2030, 6, 1)


def race(workers: list[Callable[[], None]]) -> list[BaseException | None]:
    """Start every worker at once; each thread closes its own connection when done."""
    barrier = threading.Barrier(len(workers))
    outcomes: list[BaseException | None] = [None] * len(workers)

    def run(index: int, work: Callable[[], None]) -> None:
        try:
            barrier.wait(timeout=30)
            work()
        except BaseException as exc:  # noqa: BLE001 - every outcome is asserted by the test
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, work)) for i, work in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_fifty_threads_race_for_the_last_unit(require_postgres) -> None:
    room_type = RoomTypeFactory()
    open_calendar(room_type, D1, 2, sellable=1)

    def taker(index: int) -> Callable[[], None]:
        return lambda: take_inventory(
            key=f"last-{index}", items=[InventoryRequest(room_type.pk, D1, D1 + timedelta(2))]
        )

    outcomes = race([taker(i) for i in range(50)])
    winners = [i for i, outcome in enumerate(outcomes) if outcome is None]
    assert len(winners) == 1
    assert all(isinstance(outcome, NotAvailable) for outcome in outcomes if outcome is not None)
    assert counters(room_type.pk) == {D1: (1, 1, 0), D1 + timedelta(1): (1, 1, 0)}
    assert set(Allocation.objects.values_list("alloc_key", flat=True)) == {f"last-{winners[0]}"}


def test_overlapping_stays_in_opposite_orders_never_deadlock_or_oversell(require_postgres) -> None:
    first, second = RoomTypeFactory(), RoomTypeFactory()
    for room_type in (first, second):
        open_calendar(room_type, D1, 6, sellable=7)
    stays = [(0, 4), (2, 6), (1, 5), (0, 6), (3, 4)]
    until = timezone.now() + timedelta(minutes=10)
    requests: dict[int, tuple[list[InventoryRequest], bool]] = {}
    for index in range(40):
        start, end = stays[index % len(stays)]
        items = [
            InventoryRequest(first.pk, D1 + timedelta(start), D1 + timedelta(end), units=1 + index % 2),
            InventoryRequest(second.pk, D1 + timedelta(6 - end), D1 + timedelta(6 - start), units=1),
        ]
        if index % 2:
            items.reverse()  # opposite orders: the primitive must still lock in one global order
        requests[index] = (items, index % 3 == 0)

    def taker(index: int) -> Callable[[], None]:
        items, hold = requests[index]
        return lambda: take_inventory(key=f"stay-{index}", items=items, hold_until=until if hold else None)

    outcomes = race([taker(i) for i in range(40)])
    unexpected = [outcome for outcome in outcomes if outcome is not None and not isinstance(outcome, NotAvailable)]
    assert unexpected == []
    winners = [i for i, outcome in enumerate(outcomes) if outcome is None]
    assert 0 < len(winners) < 40
    expected: Counter[tuple[int, date, bool]] = Counter()
    for index in winners:
        items, hold = requests[index]
        for item in items:
            for offset in range((item.check_out - item.check_in).days):
                expected[(item.room_type_id, item.check_in + timedelta(offset), hold)] += item.units
    for room_type in (first, second):
        for night, (sellable, sold, held) in counters(room_type.pk).items():
            assert sold + held <= sellable
            assert (sold, held) == (expected[(room_type.pk, night, False)], expected[(room_type.pk, night, True)])
    assert set(Allocation.objects.values_list("alloc_key", flat=True)) == {f"stay-{i}" for i in winners}


def test_takes_confirms_releases_and_sweeps_interleave_without_deadlock(require_postgres) -> None:
    first, second = RoomTypeFactory(), RoomTypeFactory()
    for room_type in (first, second):
        open_calendar(room_type, D1, 4, sellable=10)
    whole = [InventoryRequest(first.pk, D1, D1 + timedelta(4)), InventoryRequest(second.pk, D1, D1 + timedelta(4))]
    later = timezone.now() + timedelta(minutes=10)
    for index in range(4):
        take_inventory(key=f"held-{index}", items=whole, hold_until=later)
        take_inventory(key=f"sold-{index}", items=whole[::-1])
    Allocation.objects.filter(alloc_key__in=["held-0", "held-1"]).update(expires_at=timezone.now())

    def new_take(index: int) -> Callable[[], None]:
        items = whole if index % 2 else whole[::-1]
        return lambda: take_inventory(key=f"new-{index}", items=items, hold_until=later if index % 3 else None)

    workers = [new_take(i) for i in range(12)]
    workers += [lambda i=i: confirm_hold(key=f"held-{i}") for i in range(4)]
    workers += [lambda i=i: release_inventory(key=f"sold-{i}") for i in range(3)]
    workers += [reclaim_expired_holds for _ in range(3)]
    outcomes = race(workers)
    expected = (NotAvailable, HoldExpired)
    assert [o for o in outcomes if o is not None and not isinstance(o, expected)] == []
    assert [type(o) for o in outcomes[12:16]] == [HoldExpired, HoldExpired, type(None), type(None)]
    for room_type in (first, second):
        live = Allocation.objects.filter(inventory__room_type=room_type)
        for night, (sellable, sold, held) in counters(room_type.pk).items():
            on_night = live.filter(inventory__night=night)
            assert sold == sum(on_night.filter(state="sold").values_list("units", flat=True))
            assert held == sum(on_night.filter(state="held").values_list("units", flat=True))
            assert sold + held <= sellable
