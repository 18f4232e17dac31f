"""Write bookings whose stay overlaps a date range as CSV (stdout or a file)."""

from __future__ import annotations

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.bookings.exports import bookings_csv_write, bookings_for_export


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = "Export bookings overlapping [--start, --end) as CSV, optionally for some properties only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", required=True, help="first night, YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="day after the last night, YYYY-MM-DD")
        parser.add_argument("--property", type=int, action="append", dest="properties", help="property id (repeat)")
        parser.add_argument("--output", help="file to write (default: stdout)")

    def handle(self, *args: object, **options: object) -> None:
        start, end = _date(str(options["start"])), _date(str(options["end"]))
        if end <= start:
            raise CommandError("--end must be after --start.")
        bookings = bookings_for_export(property_ids=options["properties"], start=start, end=end)
        if options["output"]:
            try:
                with open(str(options["output"]), "w", newline="", encoding="utf-8") as out:
                    count = bookings_csv_write(bookings, out)
            except OSError as exc:
                raise CommandError(f"cannot write {options['output']}: {exc.strerror}") from exc
            self.stderr.write(f"{count} booking(s) written to {options['output']}.")
        else:
            count = bookings_csv_write(bookings, sys.stdout)
            self.stderr.write(f"{count} booking(s) exported.")
