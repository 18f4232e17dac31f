"""The personal-data registry: every registered holder is reached by the guest's export, erasure and purge."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date

import pytest

from booking_platform import personal_data
from booking_platform.actors import Actor
from booking_platform.personal_data import (
    personal_data_erase,
    personal_data_export,
    personal_data_holders,
    personal_data_last_activity,
    register_personal_data_holder,
)


@pytest.fixture
def loyalty() -> Iterator[dict[str, list]]:
    """A second holder (a loyalty scheme) beside bookings; removed again afterwards."""
    calls: dict[str, list] = {"erase": []}
    points = {7: [{"points": 120}], 8: []}

    def erase(*, customer_id: int, known_values: Collection[str], actor: Actor) -> int:
        calls["erase"].append((customer_id, tuple(known_values), actor))
        return len(points.pop(customer_id, []))

    register_personal_data_holder(
        "loyalty",
        export=lambda *, customer_id: points.get(customer_id, []),
        erase=erase,
        last_activity=lambda *, customer_ids: {pk: date(2031, 5, 1) for pk in customer_ids if pk == 7},
    )
    yield calls
    personal_data._holders.pop("loyalty")


def test_bookings_registers_itself_at_start_up() -> None:
    assert [holder.name for holder in personal_data_holders()] == ["bookings"]


@pytest.mark.django_db
def test_export_erase_and_activity_reach_every_holder(loyalty: dict[str, list]) -> None:
    assert personal_data_export(customer_id=7) == {"bookings": [], "loyalty": [{"points": 120}]}
    staff = Actor.staff(1)
    assert personal_data_erase(customer_id=7, known_values=["Ada"], actor=staff) == {"bookings": 0, "loyalty": 1}
    assert loyalty["erase"] == [(7, ("Ada",), staff)]
    assert personal_data_export(customer_id=7) == {"bookings": [], "loyalty": []}
    assert personal_data_last_activity(customer_ids=[7, 8]) == {7: date(2031, 5, 1)}
