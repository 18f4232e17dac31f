"""Expand/contract guard: old and new pods share one database during a rollout.

A migration shipped in release N runs while release N-1 still serves. So release N may only
*expand* the schema. Dropping or renaming a table or column that release N-1's code still uses
(it is in N-1's model state) breaks those pods mid-rollout; so does a NOT NULL column without a
database default, which N-1's inserts do not fill. The contract step comes one release later:
remove the field from the model first (a state-only ``SeparateDatabaseAndState``), drop the column
in the next release, when no running code knows it any more.

Released = the migration files present at a git ref (the commit in production). Migrations are
immutable once released, so the state after those nodes is what that release's code uses.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import migrations
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState

DROPPED = re.compile(r"\bDROP\s+(?P<kind>TABLE|COLUMN)\s+(?:IF\s+EXISTS\s+)?[\"'`]?(?P<name>\w+)", re.IGNORECASE)
RENAMED = re.compile(r"\bRENAME\s+(TO|COLUMN)\b", re.IGNORECASE)

Node = tuple[str, str]


@dataclass(frozen=True)
class Finding:
    migration: str
    operation: str
    problem: str

    def __str__(self) -> str:
        return f"{self.migration}: {self.operation}: {self.problem}"


def released_nodes(*, ref: str, migration_dirs: dict[str, Path], repo: Path) -> set[Node]:
    """(app, migration name) for every migration file that exists at git ``ref``."""
    commit = subprocess.run(  # noqa: S603 - fixed argv, no shell
        ["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],  # noqa: S607
        cwd=repo, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if commit.returncode != 0:
        raise ValueError(f"{ref!r} is not a commit in {repo}")
    found: set[Node] = set()
    for label, folder in migration_dirs.items():
        relative = folder.resolve().relative_to(repo.resolve()).as_posix()
        listing = subprocess.run(  # noqa: S603 - fixed argv, no shell
            ["git", "ls-tree", "--name-only", f"{commit.stdout.strip()}:{relative}"],  # noqa: S607
            cwd=repo, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if listing.returncode != 0:
            continue  # the app had no migrations folder at that commit
        found |= {
            (label, name[:-3]) for name in listing.stdout.split() if name.endswith(".py") and name != "__init__.py"
        }
    return found


def lint(*, loader: MigrationLoader, project_apps: Iterable[str], released: set[Node]) -> list[Finding]:
    """Findings for every unreleased project migration, judged against the released state."""
    apps = set(project_apps)
    graph = loader.graph
    kept = {node for node in graph.nodes if node[0] not in apps or node in released}
    leaves = [node for node in kept if not any(child in kept for child in graph.node_map[node].children)]
    before = graph.make_state(nodes=leaves, at_end=True, real_apps=loader.unmigrated_apps) if leaves else ProjectState()
    findings: list[Finding] = []
    for node in _in_order(graph, apps, released):
        migration = loader.disk_migrations[node]
        for operation in _database_operations(migration.operations):
            problem = _problem(operation, node[0], before)
            if problem:
                findings.append(Finding(f"{node[0]}.{node[1]}", operation.describe(), problem))
    return findings


def _in_order(graph, apps: set[str], released: set[Node]) -> list[Node]:
    ordered: list[Node] = []
    for leaf in sorted(graph.leaf_nodes()):
        for node in graph.forwards_plan(leaf):
            if node[0] in apps and node not in released and node not in ordered:
                ordered.append(node)
    return ordered


def _database_operations(operations: Iterable[Operation]) -> list[Operation]:
    """What touches the database; a state-only change (the contract preparation) is harmless."""
    flat: list[Operation] = []
    for operation in operations:
        if isinstance(operation, migrations.SeparateDatabaseAndState):
            flat.extend(_database_operations(operation.database_operations))
        else:
            flat.append(operation)
    return flat


def _released_model(state: ProjectState, app: str, model: str):
    return state.models.get((app, model.lower()))


def _problem(operation: Operation, app: str, before: ProjectState) -> str:
    if isinstance(operation, migrations.RunSQL):
        return _sql_problem(" ".join(str(part) for part in _as_list(operation.sql)), before)
    if isinstance(operation, migrations.DeleteModel | migrations.RenameModel | migrations.AlterModelTable):
        name = operation.old_name if isinstance(operation, migrations.RenameModel) else operation.name
        if _released_model(before, app, name):
            return f"the previous release still uses table of {name}: drop/rename it one release after the code stops"
        return ""
    model = _released_model(before, app, getattr(operation, "model_name", "") or "")
    if model is None:
        return ""  # a model new in this release: nothing old depends on it
    return _field_problem(operation, model)


def _sql_problem(sql: str, before: ProjectState) -> str:
    """Raw SQL may drop what no released code uses any more (the contract step); never rename."""
    if RENAMED.search(sql):
        return "raw SQL renames: add the new name, copy, drop the old one a release later"
    tables, columns = _released_names(before)
    for match in DROPPED.finditer(sql):
        name = match.group("name").lower()
        if name in (tables if match.group("kind").upper() == "TABLE" else columns):
            return f"raw SQL drops {name}, which the previous release still uses"
    return ""


def _released_names(state: ProjectState) -> tuple[set[str], set[str]]:
    tables: set[str] = set()
    columns: set[str] = set()
    for (app, model_name), model in state.models.items():
        tables.add((model.options.get("db_table") or f"{app}_{model_name}").lower())
        for name, field in model.fields.items():
            attname = f"{name}_id" if field.is_relation and not field.many_to_many else name
            columns.add((field.db_column or attname).lower())
    return tables, columns


def _field_problem(operation: Operation, model) -> str:
    if isinstance(operation, migrations.RemoveField) and operation.name in model.fields:
        return f"the previous release still uses {model.name}.{operation.name}: remove it from the model first (state only), drop it next release"  # noqa: E501
    if isinstance(operation, migrations.RenameField) and operation.old_name in model.fields:
        return f"the previous release still uses {model.name}.{operation.old_name}: add the new column, copy, drop the old one a release later"  # noqa: E501
    if isinstance(operation, migrations.AddField) and _not_null_without_db_default(operation.field):
        return f"{model.name}.{operation.name} is NOT NULL without db_default: the previous release's inserts fail"
    if isinstance(operation, migrations.AlterField) and operation.name in model.fields:
        was = model.fields[operation.name]
        if was.null and not operation.field.null and not _has_db_default(operation.field):
            return f"{model.name}.{operation.name} becomes NOT NULL: the previous release may still write NULL"
    return ""


def _not_null_without_db_default(field) -> bool:
    return not field.many_to_many and not field.null and not _has_db_default(field)


def _has_db_default(field) -> bool:
    from django.db.models.fields import NOT_PROVIDED

    return getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED


def _as_list(sql) -> list:
    return list(sql) if isinstance(sql, list | tuple) else [sql]
