"""``manage.py oracle_sql``: prove the schema and hot queries work on Oracle, offline."""

from __future__ import annotations

import argparse
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import module_has_submodule

from booking_platform.db.oracle_offline import (
    HotQuery,
    check_models,
    offline_connection,
    render_migrations,
    render_queries,
)


def oracle_version(value: str) -> int:
    """argparse type: a major version Django's Oracle backend supports (19 and later)."""
    if not value.isdigit() or int(value) < 19:
        raise argparse.ArgumentTypeError(f"Django 5.2 supports Oracle 19 and later, not {value!r}")
    return int(value)


def project_labels() -> list[str]:
    return [c.label for c in apps.get_app_configs() if c.name == "booking_platform" or c.name.startswith("apps.")]


def hot_queries() -> list[HotQuery]:
    """Each project app may declare ``oracle_queries.hot_queries() -> list[HotQuery]``."""
    found: list[HotQuery] = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "oracle_queries"):
            found.extend(import_module(f"{config.name}.oracle_queries").hot_queries())
    return found


class Command(BaseCommand):
    help = "Render Oracle DDL for every project migration and Oracle SQL for hot querysets, without a server."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--oracle-version",
            type=oracle_version,
            default=19,
            help="Oracle major version to render for (Django 5.2 supports 19 and later).",
        )
        parser.add_argument("--quiet", action="store_true", help="Print only the summary.")

    def handle(self, *args: Any, **options: Any) -> None:
        labels = project_labels()
        with offline_connection((options["oracle_version"],)) as connection:
            ddl = render_migrations(connection, labels)
            queries = render_queries(connection, hot_queries())
        problems = ddl.problems + check_models(labels) + queries.problems
        if not options["quiet"]:
            for where, sql in ddl.statements + queries.statements:
                self.stdout.write(f"-- {where}\n{sql}")
        self.stdout.write(
            f"oracle_sql: {len(ddl.statements)} DDL statements, {len(queries.statements)} queries "
            f"rendered for Oracle {options['oracle_version']}; {len(problems)} problems"
        )
        if problems:
            raise CommandError("cannot render for Oracle:\n  " + "\n  ".join(problems))
