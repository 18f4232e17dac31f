"""On the big ARI tables (a row per room type and night, written by every booking) no index is the
leading part of another: search once read rates through such a lone index and filtered ten times the
rows it returned. The migration that dropped four can be undone. (Catalogue tables are small; their
foreign-key indexes are left as Django makes them.)"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("availability", "0007_property_description")]
AFTER = [("availability", "0008_drop_covered_fk_indexes")]
DROPPED = {
    ("availability_allocation", ("inventory_id",)),
    ("availability_inventory", ("room_type_id",)),
    ("availability_nightrate", ("rate_plan_id",)),
    ("availability_nightrate", ("room_type_id",)),
}


def _indexes(tables: set[str]) -> set[tuple[str, tuple[str, ...]]]:
    """(table, columns) of every plain or unique index, the primary keys left out."""
    found = set()
    with connection.cursor() as cursor:
        for table in tables:
            for details in connection.introspection.get_constraints(cursor, table).values():
                if (details["index"] or details["unique"]) and not details["primary_key"] and details["columns"]:
                    found.add((table, tuple(details["columns"])))
    return found


def _ari_tables() -> set[str]:
    models = ("Inventory", "NightRate", "Allocation")
    return {apps.get_model("availability", name)._meta.db_table for name in models}


@pytest.mark.django_db
def test_no_ari_index_is_the_leading_part_of_another() -> None:
    indexes = _indexes(_ari_tables())
    covered = sorted(
        (table, columns, wider)
        for table, columns in indexes
        for other_table, wider in indexes
        if other_table == table and wider != columns and wider[: len(columns)] == columns
    )
    assert covered == []


def _migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_the_covered_indexes_are_dropped_forwards_and_made_again_backwards() -> None:
    tables = {table for table, _ in DROPPED}
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        _migrate(BEFORE)
        assert _indexes(tables) >= DROPPED
        _migrate(AFTER)
        assert DROPPED & _indexes(tables) == set()
    finally:
        _migrate(latest)
    assert DROPPED & _indexes(tables) == set()
