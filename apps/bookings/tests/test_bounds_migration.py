"""Adding the booking amount CHECKs meets bookings saved before them: one line naming them, nothing half-done."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("bookings", "0003_partner_owner")]
BOUNDS = [("bookings", "0004_input_bounds")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_a_negative_booking_stops_the_migration_by_reference() -> None:
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        bookings = _migrate(BEFORE).get_model("bookings", "Booking").objects
        fields = {
            "property_id": 1,
            "customer_id": 1,
            "channel": "web",
            "status": "confirmed",
            "check_in": date(2030, 1, 1),
            "check_out": date(2030, 1, 2),
            "adults": 2,
            "currency": "EUR",
            "room_total": Decimal("100.00"),
            "taxes": Decimal("0.00"),
            "cancellation_policy": {"kind": "non_refundable"},
        }
        bookings.create(reference="AAA-BBB-CCCC", allocation_key="AAA-BBB-CCCC", total=Decimal("100.00"), **fields)
        bad = bookings.create(
            reference="K7M-4QX-9TRA", allocation_key="K7M-4QX-9TRA", total=Decimal("-500.00"), **fields
        )

        with pytest.raises(CommandError) as caught:
            _migrate(BOUNDS)

        assert str(caught.value) == "Bookings with negative amounts must be corrected before migrating: K7M-4QX-9TRA."
        bookings.filter(pk=bad.pk).update(total=Decimal("500.00"))
        _migrate(BOUNDS)
        assert ("bookings", "0004_input_bounds") in MigrationExecutor(connection).loader.applied_migrations
    finally:
        _migrate(latest)
