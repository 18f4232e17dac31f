"""``manage.py lint_migrations --base REF``: refuse a drop/rename shipped with the code that stops using it."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.migrations.loader import MigrationLoader

from booking_platform.db.migration_lint import lint, released_nodes
from booking_platform.management.commands.oracle_sql import project_labels


def migration_dirs(loader: MigrationLoader) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for label in project_labels():
        module_name, _explicit = loader.migrations_module(label)
        try:
            module = import_module(module_name)
        except ModuleNotFoundError:
            continue
        found[label] = Path(next(iter(module.__path__)))
    return found


class Command(BaseCommand):
    help = "Check that migrations added since --base only expand the schema (expand now, contract next release)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--base", required=True, help="git ref of the release in production (e.g. its commit).")

    def handle(self, *args: Any, base: str, **options: Any) -> None:
        loader = MigrationLoader(None, ignore_no_migrations=True, load=True)  # files only, no database
        try:
            released = released_nodes(ref=base, migration_dirs=migration_dirs(loader), repo=Path(settings.BASE_DIR))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        labels = project_labels()
        new = sorted(n for n in loader.disk_migrations if n[0] in labels and n not in released)
        findings = lint(loader=loader, project_apps=labels, released=released)
        for finding in findings:
            self.stderr.write(f"backward-incompatible: {finding}")
        summary = f"{len(new)} migration(s) since {base}: {', '.join(f'{a}.{n}' for a, n in new) or 'none'}"
        if findings:
            raise CommandError(f"{summary}; {len(findings)} backward-incompatible operation(s)")
        self.stdout.write(f"{summary}; all backward compatible")
