"""The migration that adds the CHECK constraints meets data saved before them: repairs or one clear line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("availability", "0003_property_contact_validators")]
BOUNDS = [("availability", "0004_input_bounds")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_bad_nights_are_repaired_and_bad_catalogue_rows_stop_the_migration_by_id() -> None:
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        registry = _migrate(BEFORE)
        prop = registry.get_model("availability", "Property").objects.create(
            name="Old Hotel", slug="old", tax_percent=Decimal("-100.00")
        )
        room_type = registry.get_model("availability", "RoomType").objects.create(
            property=prop, code="DBL", name="Double"
        )
        plan = registry.get_model("availability", "RatePlan").objects.create(property=prop, code="F", name="Flex")
        rates = registry.get_model("availability", "NightRate").objects
        rate = rates.create(
            rate_plan=plan,
            room_type=room_type,
            night=date(2030, 1, 1),
            price=Decimal("-5.00"),
            extra_adult_price=Decimal("-1.00"),
            min_stay_arrival=0,
            max_stay=0,
        )

        with pytest.raises(
            CommandError, match=r"^Fix out-of-range values before migrating: Property \d+ \(tax_percent"
        ):
            _migrate(BOUNDS)

        assert rates.filter(pk=rate.pk).values_list("price", flat=True).get() == Decimal("-5.00")  # rolled back
        registry.get_model("availability", "Property").objects.filter(pk=prop.pk).update(tax_percent=Decimal("7"))
        registry = _migrate(BOUNDS)
        repaired = registry.get_model("availability", "NightRate").objects.filter(pk=rate.pk)
        assert repaired.values_list("price", "extra_adult_price", "min_stay_arrival", "max_stay").get() == (
            None,
            Decimal("0.00"),
            None,
            None,
        )
    finally:
        _migrate(latest)
