"""Seed a demo hotel on an empty database; repeated runs reuse what exists."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create the demo hotel and a staff superuser (printing its password) if they do not exist."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        if user_model.objects.filter(username="admin").exists():
            self.stdout.write("Staff user 'admin' exists already; its password was printed on the first run.")
        else:
            password = secrets.token_urlsafe(12)
            user_model.objects.create_superuser("admin", "admin@example.com", password)
            self.stdout.write(self.style.SUCCESS(f"Staff superuser: admin / {password}"))
