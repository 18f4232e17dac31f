"""manage.py rotate_partner_key SLUG [--overlap-hours N]: a new key; the old ones lapse after the overlap."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.partners.keys import api_key_rotate
from apps.partners.models import Partner
from booking_platform.errors import ApplicationError


class Command(BaseCommand):
    help = "Issue a new API key for a partner and print it once; current keys keep working for the overlap."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--overlap-hours", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        partner = Partner.objects.filter(slug=options["slug"]).first()
        if partner is None:
            raise CommandError(f"No partner {options['slug']!r}.")
        try:
            issued = api_key_rotate(partner=partner, overlap_hours=options["overlap_hours"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(issued.key)
