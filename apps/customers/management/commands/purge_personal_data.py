"""``manage.py purge_personal_data --older-than DAYS [--dry-run]``: the retention period, enforced."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from apps.customers.privacy import customers_purge
from booking_platform.actors import Actor

RETENTION_HELP = "erase customers with no stay and no sign-up in the last DAYS days (the retention period)"


class Command(BaseCommand):
    help = "Erase personal data of customers with no stay and no sign-up in the last DAYS days."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--older-than", type=int, metavar="DAYS", help=RETENTION_HELP)
        parser.add_argument("--dry-run", action="store_true", help="List who would be erased; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["older_than"]
        if days is None:
            raise CommandError(f"--older-than DAYS is required: {RETENTION_HELP}, e.g. --older-than 1095")
        if days < 1:
            raise CommandError("--older-than must be at least 1 day")
        dry_run = options["dry_run"]
        found = customers_purge(older_than_days=days, dry_run=dry_run, actor=Actor.system("retention"))
        for candidate in found:
            self.stdout.write(f"customer {candidate.customer_id}: last activity {candidate.last_activity.isoformat()}")
        verb = "would be erased" if dry_run else "erased"
        self.stdout.write(f"purge_personal_data: {len(found)} customer(s) {verb}")
