"""manage.py create_partner NAME SLUG [--scopes] [--properties a,b | --all-properties]: prints the key once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.availability import interface as availability
from apps.partners.keys import partner_create
from apps.partners.models import Scope
from booking_platform.errors import ApplicationError


class Command(BaseCommand):
    help = "Create a partner and print its first API key (shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("slug")
        parser.add_argument("--scopes", default=",".join(Scope.values), help="Comma-separated; default: all.")
        parser.add_argument("--properties", default="", help="Comma-separated property slugs it may sell.")
        parser.add_argument("--all-properties", action="store_true")
        parser.add_argument("--rate-limit", type=int, default=None, help="Requests per minute.")

    def handle(self, *args: Any, **options: Any) -> None:
        by_slug = {p.slug: p.id for p in availability.active_properties()}
        wanted = [s.strip() for s in options["properties"].split(",") if s.strip()]
        unknown = [s for s in wanted if s not in by_slug]
        if unknown:
            raise CommandError(f"Unknown properties: {', '.join(unknown)}")
        try:
            issued = partner_create(
                name=options["name"],
                slug=options["slug"],
                scopes=[s.strip() for s in options["scopes"].split(",") if s.strip()],
                property_ids=[by_slug[s] for s in wanted],
                all_properties=options["all_properties"],
                rate_limit_per_minute=options["rate_limit"],
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(issued.key)
