"""``manage.py extend_inventory --days N``: keep the calendar open N days ahead."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.availability.services.calendar import inventory_extend, room_types_to_extend
from booking_platform.errors import ApplicationError


class Command(BaseCommand):
    help = "Create missing inventory and default prices for the next N nights of every active property."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=365, help="How many nights ahead to keep open.")
        parser.add_argument("--property", type=int, action="append", dest="property_ids", help="Only this property.")

    def handle(self, *args: Any, **options: Any) -> None:
        room_types = room_types_to_extend(options["property_ids"])
        asked = set(options["property_ids"] or [])
        missing = sorted(asked - {room_type.property_id for room_type in room_types})
        if missing:
            raise CommandError(f"no active property with active room types has id {', '.join(map(str, missing))}")
        tty = getattr(self.stdout, "isatty", lambda: False)() or (
            self.stdout._out is sys.stdout and sys.stdout.isatty()
        )
        with tqdm(total=len(room_types), unit="room type", disable=not tty, file=sys.stderr) as bar:
            try:
                result = inventory_extend(days=options["days"], room_types=room_types, progress=bar.update)
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc
        self.stdout.write(
            f"extend_inventory: {result.inventory_created} inventory nights and "
            f"{result.rates_created} rate nights created for {len(room_types)} room types."
        )
