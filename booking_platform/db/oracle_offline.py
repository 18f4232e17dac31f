"""Render Oracle SQL without an Oracle server.

Django's Oracle backend can write DDL and compile querysets without ever
connecting, as long as nothing asks the server its version or opens a cursor.
We pin the version, make any attempt to connect fail loudly, and feed it every
migration (from a loader that never reads the migrations table) and the hot-path
querysets each app declares in ``oracle_queries.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.oracle.schema import DatabaseSchemaEditor as OracleSchemaEditor
from django.db.migrations.loader import MigrationLoader
from django.db.models.sql import UpdateQuery
from django.db.utils import ConnectionHandler

ALIAS = "oracle_offline"
# Words Oracle reserves; quoted identifiers make them legal but every hand-written
# query, report and DBA tool then trips on them (CONVENTIONS.md).
RESERVED_COLUMNS = frozenset(
    {
        "date",
        "number",
        "timestamp",
        "level",
        "size",
        "comment",
        "uid",
        "user",
        "access",
        "file",
        "mode",
        "order",
        "group",
        "option",
        "resource",
        "row",
        "rows",
        "session",
        "start",
        "successful",
        "table",
        "type",
        "validate",
        "value",
        "values",
        "view",
        "long",
        "raw",
        "rowid",
        "rownum",
        "share",
        "sysdate",
    }
)


AUTO_FIELDS = frozenset({"AutoField", "BigAutoField", "SmallAutoField"})


class OfflineViolation(RuntimeError):
    """Rendering tried to reach a database server."""


class OfflineSchemaEditor(OracleSchemaEditor):
    """Answers "is this an identity column?" from the migration state, not the server.

    In Django's Oracle schema only auto fields become identity columns, and the
    backend asks only while removing a field or altering an auto field away.
    """

    _identity = False

    def remove_field(self, model: type[models.Model], field: models.Field) -> None:
        self._identity = field.get_internal_type() in AUTO_FIELDS
        super().remove_field(model, field)

    def _alter_column_type_sql(self, model, old_field, new_field, *args):
        self._identity = old_field.get_internal_type() in AUTO_FIELDS
        return super()._alter_column_type_sql(model, old_field, new_field, *args)

    def _is_identity_column(self, table_name: str, column_name: str) -> bool:
        return self._identity


@dataclass(frozen=True)
class HotQuery:
    """A queryset on a hot path; with ``update`` it is compiled as ``UPDATE ... SET``."""

    name: str
    queryset: models.QuerySet
    update: dict[str, Any] | None = None


@dataclass
class Rendered:
    statements: list[tuple[str, str]] = field(default_factory=list)  # (where, sql)
    problems: list[str] = field(default_factory=list)


@contextmanager
def offline_connection(version: tuple[int, ...] = (19,)) -> Iterator[BaseDatabaseWrapper]:
    """An Oracle connection object that renders SQL and refuses to connect.

    It is registered under its own alias for the duration, because migration
    operations look connections up by alias; the project's connections are untouched.
    """
    oracle = {"ENGINE": "django.db.backends.oracle", "NAME": "offline", "USER": "offline", "PASSWORD": ""}
    connection = ConnectionHandler({"default": oracle, ALIAS: oracle})[ALIAS]
    connection.__dict__["oracle_version"] = version
    # What a first connection would have probed: plain LIKE operators work on every supported version.
    connection.operators = connection._standard_operators
    connection.pattern_ops = connection._pattern_ops
    connection.SchemaEditorClass = OfflineSchemaEditor

    def refuse(*_: Any, **__: Any) -> None:
        raise OfflineViolation("needs a live Oracle connection, which offline rendering cannot give")

    connection.connect = refuse  # type: ignore[method-assign]
    connection.get_new_connection = refuse  # type: ignore[method-assign]
    # Hot queries run inside transactions (select_for_update demands it).
    connection.get_autocommit = lambda: False  # type: ignore[method-assign]
    connections[ALIAS] = connection
    try:
        yield connection
    finally:
        del connections[ALIAS]


def render_migrations(connection: BaseDatabaseWrapper, app_labels: Iterable[str]) -> Rendered:
    rendered = Rendered()
    loader = MigrationLoader(None, ignore_no_migrations=True)  # None: never reads django_migrations
    loader.connection = connection
    wanted = set(app_labels)
    targets = [key for key in loader.graph.leaf_nodes() if key[0] in wanted]
    plan = []
    seen: set[tuple[str, str]] = set()
    for target in targets:
        for key in loader.graph.forwards_plan(target):
            if key not in seen:
                seen.add(key)
                plan.append((loader.graph.nodes[key], False))
    for migration, backwards in plan:
        where = f"{migration.app_label}.{migration.name}"
        try:
            statements = loader.collect_sql([(migration, backwards)])
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none hidden
            rendered.problems.append(f"{where}: {type(exc).__name__}: {exc}")
            continue
        rendered.statements.extend((where, sql) for sql in statements)
    return rendered


def check_models(app_labels: Iterable[str]) -> list[str]:
    """Schema choices that render but misbehave on Oracle."""
    problems: list[str] = []
    for label in app_labels:
        for model in apps.get_app_config(label).get_models():
            name = model._meta.label
            for model_field in model._meta.local_fields:
                column = model_field.column.lower()
                if column in RESERVED_COLUMNS:
                    problems.append(f"{name}.{model_field.name}: column {column!r} is an Oracle reserved word")
            for constraint in model._meta.constraints:
                if isinstance(constraint, models.UniqueConstraint) and constraint.condition is not None:
                    problems.append(
                        f"{name}: conditional unique constraint {constraint.name!r} is not created on Oracle"
                    )
    return problems


def render_queries(connection: BaseDatabaseWrapper, queries: Iterable[HotQuery]) -> Rendered:
    rendered = Rendered()
    for hot in queries:
        try:
            query = hot.queryset.query
            if hot.update is not None:
                query = query.chain(UpdateQuery)
                query.add_update_values(hot.update)
            sql, params = query.get_compiler(connection=connection).as_sql()
        except Exception as exc:  # noqa: BLE001
            rendered.problems.append(f"{hot.name}: {type(exc).__name__}: {exc}")
            continue
        rendered.statements.append((hot.name, f"{sql} -- params: {list(params)!r}"))
    return rendered
