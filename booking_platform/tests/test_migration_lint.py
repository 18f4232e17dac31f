"""lint_migrations: what a rolling release may and may not do to the schema the old pods still use."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader

from booking_platform.db.migration_lint import lint
from booking_platform.management.commands.oracle_sql import project_labels

ROOT = Path(__file__).resolve().parents[2]
NAME = ("kernel", "9999_under_review")


def _lint(*operations: migrations.operations.base.Operation) -> list[str]:
    """Everything on disk counts as released; one new kernel migration carries ``operations``."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    released = set(loader.disk_migrations)
    leaf = loader.graph.leaf_nodes("kernel")[0]
    migration = type("Migration", (migrations.Migration,), {"operations": list(operations), "dependencies": [leaf]})(
        NAME[1], NAME[0]
    )
    loader.graph.add_node(NAME, migration)
    loader.graph.add_dependency(migration, NAME, leaf)
    loader.disk_migrations[NAME] = migration
    return [str(f) for f in lint(loader=loader, project_apps=project_labels(), released=released)]


def test_dropping_a_column_the_previous_release_uses_is_refused() -> None:
    assert _lint(migrations.RemoveField("outboxevent", "last_error")) == [
        "kernel.9999_under_review: Remove field last_error from outboxevent: the previous release still uses "
        "OutboxEvent.last_error: remove it from the model first (state only), drop it next release"
    ]


def test_removing_from_the_model_only_is_the_allowed_first_step() -> None:
    state_only = migrations.SeparateDatabaseAndState(
        state_operations=[migrations.RemoveField("outboxevent", "last_error")]
    )
    assert _lint(state_only) == []


def test_raw_drop_of_a_column_no_released_code_knows_is_the_contract_step() -> None:
    contract = migrations.SeparateDatabaseAndState(
        database_operations=[migrations.RunSQL("ALTER TABLE kernel_outboxevent DROP COLUMN legacy_flag")]
    )
    assert _lint(contract) == []
    assert _lint(migrations.RunSQL("ALTER TABLE kernel_outboxevent DROP COLUMN last_error")) == [
        "kernel.9999_under_review: Raw SQL operation: raw SQL drops last_error, which the previous release still uses"
    ]
    assert _lint(migrations.RunSQL('DROP TABLE IF EXISTS "kernel_delivery"')) == [
        "kernel.9999_under_review: Raw SQL operation: raw SQL drops kernel_delivery, "
        "which the previous release still uses"
    ]


def test_renames_are_refused() -> None:
    assert _lint(migrations.RenameField("outboxevent", "last_error", "error_text")) == [
        "kernel.9999_under_review: Rename field last_error on outboxevent to error_text: the previous release still "
        "uses OutboxEvent.last_error: add the new column, copy, drop the old one a release later"
    ]
    assert len(_lint(migrations.RenameModel("Delivery", "Dispatch"))) == 1
    assert len(_lint(migrations.RunSQL("ALTER TABLE kernel_delivery RENAME TO kernel_dispatch"))) == 1


def test_new_not_null_column_needs_a_database_default() -> None:
    plain = migrations.AddField("outboxevent", "tenant", models.CharField(max_length=20, default="main"))
    with_db_default = migrations.AddField("outboxevent", "tenant", models.CharField(max_length=20, db_default="main"))
    nullable = migrations.AddField("outboxevent", "tenant", models.CharField(max_length=20, null=True))
    assert _lint(plain) == [
        "kernel.9999_under_review: Add field tenant to outboxevent: OutboxEvent.tenant is NOT NULL without "
        "db_default: the previous release's inserts fail"
    ]
    assert _lint(with_db_default) == []
    assert _lint(nullable) == []


def test_tightening_to_not_null_is_refused_and_expanding_is_fine() -> None:
    tighten = migrations.AlterField("outboxevent", "published_at", models.DateTimeField())
    assert _lint(tighten) == [
        "kernel.9999_under_review: Alter field published_at on outboxevent: OutboxEvent.published_at becomes "
        "NOT NULL: the previous release may still write NULL"
    ]
    widen = migrations.AlterField("outboxevent", "last_error", models.TextField(blank=True, null=True))
    assert _lint(widen) == []


def test_a_model_new_in_this_release_may_change_freely() -> None:
    create = migrations.CreateModel(
        "Scratch", [("id", models.BigAutoField(primary_key=True)), ("x", models.IntegerField())]
    )
    assert _lint(create, migrations.RemoveField("scratch", "x"), migrations.DeleteModel("Scratch")) == []


def test_command_lists_new_migrations_and_rejects_an_unknown_ref(capsys: pytest.CaptureFixture[str]) -> None:
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    if subprocess.run(
        ["git", "status", "--porcelain", "--", "*/migrations/*"], cwd=ROOT, capture_output=True, text=True
    ).stdout:
        pytest.skip("uncommitted migrations in the work tree")
    call_command("lint_migrations", base=head.strip())
    assert capsys.readouterr().out.strip() == f"0 migration(s) since {head.strip()}: none; all backward compatible"
    with pytest.raises(CommandError, match="'no-such-ref' is not a commit"):
        call_command("lint_migrations", base="no-such-ref")
