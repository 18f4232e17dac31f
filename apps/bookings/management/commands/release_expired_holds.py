"""``manage.py release_expired_holds``: what the every-minute beat task does, on demand."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.bookings.services.lifecycle import bookings_expire_due


class Command(BaseCommand):
    help = "Expire held bookings whose hold time has passed and give their rooms back."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = bookings_expire_due()
        self.stdout.write(f"release_expired_holds: {expired} hold(s) expired")
