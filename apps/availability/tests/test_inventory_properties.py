"""Random sequences of hold, confirm, release and expiry keep the counters equal to a simple model."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from apps.availability.interface import (
    HoldExpired,
    InventoryRequest,
    NotAvailable,
    confirm_hold,
    reclaim_expired_holds,
    release_inventory,
    take_inventory,
)
from apps.availability.models import Allocation, Inventory
from apps.availability.tests.factories import RoomTypeFactory, open_calendar

D1 = date(2031, 1, 1)
NIGHTS = 4
SELLABLE = 3
keys = st.integers(min_value=0, max_value=7).map(lambda n: f"k{n}")
_machines = itertools.count()


class InventoryMachine(RuleBasedStateMachine):
    """The model: per key and night, units and state (held, lapsed, sold, expired, released)."""

    @initialize()
    def setup(self) -> None:
        self.room_type = RoomTypeFactory()
        open_calendar(self.room_type, D1, NIGHTS, sellable=SELLABLE)
        self.allocs: dict[str, dict[date, list]] = {}  # key -> night -> [units, state]
        self.prefix = f"m{next(_machines)}-"  # examples share one database: keys must not collide

    def units_in(self, night: date, states: tuple[str, ...]) -> int:
        return sum(a[night][0] for a in self.allocs.values() if night in a and a[night][1] in states)

    @rule(
        key=keys,
        start=st.integers(0, NIGHTS - 1),
        length=st.integers(1, NIGHTS),
        units=st.integers(1, 3),
        hold=st.booleans(),
    )
    def take(self, key: str, start: int, length: int, units: int, hold: bool) -> None:
        if key in self.allocs:
            return  # a key is used once; the example tests cover the repeat rules
        nights = [D1 + timedelta(days=offset) for offset in range(start, min(start + length, NIGHTS))]
        request = InventoryRequest(self.room_type.pk, nights[0], nights[-1] + timedelta(days=1), units)
        fits = all(self.units_in(night, ("held", "sold")) + units <= SELLABLE for night in nights)
        until = timezone.now() + timedelta(minutes=10) if hold else None
        try:
            take_inventory(key=self.prefix + key, items=[request], hold_until=until)
        except NotAvailable:
            assert not fits
            return
        assert fits
        crowded = any(self.units_in(night, ("held", "lapsed", "sold")) + units > SELLABLE for night in nights)
        for (
            allocation
        ) in self.allocs.values():  # lapsed holds on its nights are swept only when their units were needed
            for night in nights:
                if crowded and night in allocation and allocation[night][1] == "lapsed":
                    allocation[night][1] = "expired"
        self.allocs[key] = {night: [units, "held" if hold else "sold"] for night in nights}

    @rule(key=keys)
    def confirm(self, key: str) -> None:
        states = {state for _, state in self.allocs.get(key, {}).values()}
        try:
            confirm_hold(key=self.prefix + key)
        except HoldExpired:
            assert states not in ({"held"}, {"sold"})
            return
        assert states in ({"held"}, {"sold"})
        for entry in self.allocs[key].values():
            entry[1] = "sold"

    @rule(key=keys)
    def release(self, key: str) -> None:
        live = [entry for entry in self.allocs.get(key, {}).values() if entry[1] in ("held", "lapsed", "sold")]
        assert release_inventory(key=self.prefix + key) == sum(entry[0] for entry in live)
        for entry in live:
            entry[1] = "released"

    @rule(key=keys)
    def expire(self, key: str) -> None:
        """Time passes for one hold: it lapses but nothing sweeps it yet."""
        held = [entry for entry in self.allocs.get(key, {}).values() if entry[1] == "held"]
        if not held:
            return
        Allocation.objects.filter(alloc_key=self.prefix + key, state="held").update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        for entry in held:
            entry[1] = "lapsed"

    @rule()
    def sweep(self) -> None:
        reclaim_expired_holds()
        for allocation in self.allocs.values():
            for entry in allocation.values():
                if entry[1] == "lapsed":
                    entry[1] = "expired"

    @invariant()
    def counters_match_the_model(self) -> None:
        if not hasattr(self, "room_type"):
            return
        for row in Inventory.objects.filter(room_type=self.room_type):
            assert 0 <= row.sold + row.held <= row.sellable == SELLABLE
            assert row.sold == self.units_in(row.night, ("sold",))
            assert row.held == self.units_in(row.night, ("held", "lapsed"))


@pytest.mark.django_db
def test_inventory_state_machine() -> None:
    run_state_machine_as_test(
        InventoryMachine,
        settings=settings(
            max_examples=60,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
