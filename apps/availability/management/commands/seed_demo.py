"""Seed a demo hotel and a staff superuser on an empty database; repeated runs reuse what exists."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.availability.services.demo import demo_hotel_seed


class Command(BaseCommand):
    help = "Create the demo hotel and a staff superuser (printing its password) if they do not exist."

    def handle(self, *args: Any, **options: Any) -> None:
        self._superuser()
        result = demo_hotel_seed()
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo hotel created (property {result.property_id}): a year of prices and inventory, "
                    f"sold out on {result.sold_out_night:%d %b %Y}."
                )
            )
        else:
            self.stdout.write(f"Demo hotel exists already (property {result.property_id}); calendar kept open a year.")

    @transaction.atomic
    def _superuser(self) -> None:
        user_model = get_user_model()
        if user_model.objects.filter(username="admin").exists():
            self.stdout.write("Staff user 'admin' exists already; its password was printed on the first run.")
        else:
            password = secrets.token_urlsafe(12)
            user_model.objects.create_superuser("admin", "admin@example.com", password)
            self.stdout.write(self.style.SUCCESS(f"Staff superuser: admin / {password}"))
