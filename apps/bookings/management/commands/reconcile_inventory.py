"""``manage.py reconcile_inventory [--fix]``: recompute sold/held from bookings and report drift."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from apps.bookings.services.reconcile import inventory_reconcile


class Command(BaseCommand):
    help = "Compare inventory counters with the bookings night by night; --fix repairs the drift."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--fix", action="store_true", help="Set the counters to what the bookings say.")
        parser.add_argument("--start", type=date.fromisoformat, help="First night (default: earliest booked).")
        parser.add_argument("--end", type=date.fromisoformat, help="Night after the last (default: 2 years ahead).")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = options["start"], options["end"]
        if start and end and start >= end:
            raise CommandError(f"--start {start} must be before --end {end} (--end is the night after the last)")
        drifts = inventory_reconcile(fix=options["fix"], start=options["start"], end=options["end"])
        for drift in drifts:
            self.stdout.write(f"drift: {drift}")
        if not drifts:
            self.stdout.write("reconcile_inventory: no drift")
            return
        if options["fix"]:
            self.stdout.write(f"reconcile_inventory: {len(drifts)} drift(s) repaired")
            return
        raise CommandError(f"{len(drifts)} drift(s) found; run with --fix to repair")
