"""Rate plans saved with the old spelling "partners" are sold on "partner" after the migration (and back)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("availability", "0005_input_bounds_more")]
AFTER = [("availability", "0006_channel_partner")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_partner_channel_is_respelled_forwards_and_backwards() -> None:
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate(BEFORE)
        prop = old.get_model("availability", "Property").objects.create(name="Old Inn", slug="old-inn")
        plans = old.get_model("availability", "RatePlan").objects
        both = plans.create(property=prop, code="BOTH", name="Both", channels=["web", "partners"]).pk
        web = plans.create(property=prop, code="WEB", name="Web", channels=["web"]).pk
        partner_only = plans.create(property=prop, code="PARTNER", name="Partner", channels=["partners"]).pk

        plans = _migrate(AFTER).get_model("availability", "RatePlan").objects
        assert dict(plans.values_list("pk", "channels")) == {
            both: ["web", "partner"],
            web: ["web"],
            partner_only: ["partner"],
        }

        plans = _migrate(BEFORE).get_model("availability", "RatePlan").objects
        assert dict(plans.values_list("pk", "channels")) == {
            both: ["web", "partners"],
            web: ["web"],
            partner_only: ["partners"],
        }
    finally:
        _migrate(latest)
