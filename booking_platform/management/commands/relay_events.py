"""``manage.py relay_events``: publish every unpublished outbox event now (what the beat sweeper does)."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from booking_platform.events import relay


def positive_int(value: str) -> int:
    """argparse type: a count of events, 1 or more (argparse prints the refusal as one line)."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of events, 1 or more, not {value!r}")
    return number


class Command(BaseCommand):
    help = "Publish unpublished outbox events, oldest first; optionally re-dispatch unfinished ones."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=positive_int, default=10000, help="At most this many events (1 or more).")
        parser.add_argument(
            "--reconcile", action="store_true", help="Also re-dispatch published events a consumer never finished."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = relay.relay_pending(limit=options["limit"])
        if options["reconcile"] and not result.failed:
            result.redispatched = relay.reconcile(
                grace=timedelta(seconds=settings.EVENTS_REDISPATCH_AFTER_SECONDS),
                window=timedelta(days=settings.EVENTS_REDISPATCH_WINDOW_DAYS),
            )
        self.stdout.write(
            f"relay_events: published {result.published}, failed {result.failed}, "
            f"re-dispatched {result.redispatched}, oldest unpublished {result.oldest_unpublished_age:.1f}s"
        )
        if result.failed:
            raise CommandError("publishing failed (is the broker up?); the events stay in the outbox")
