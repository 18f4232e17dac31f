"""``manage.py replay_events --since --until``: offer a time range of events to the stream again."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from booking_platform.events import relay, stream
from booking_platform.events.consumers import all_consumers


def parse_moment(value: str) -> datetime:
    """ISO date or datetime; naive values are UTC."""
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"not an ISO date or datetime: {value!r}")
        moment = datetime(day.year, day.month, day.day)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment


class Command(BaseCommand):
    help = (
        "Replay events that occurred in [since, until) to the stream (default) or named consumers. "
        "Events a consumer already handled are skipped unless --force."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--since", required=True, help="ISO date/datetime, inclusive (UTC if naive).")
        parser.add_argument("--until", required=True, help="ISO date/datetime, exclusive.")
        parser.add_argument(
            "--consumer",
            action="append",
            default=None,
            help=f"Default: {stream.CONSUMER!r} when a stream is configured, else every registered consumer.",
        )
        parser.add_argument("--force", action="store_true", help="Forget the consumers' markers: resend everything.")

    def handle(self, *args: Any, **options: Any) -> None:
        since, until = parse_moment(options["since"]), parse_moment(options["until"])
        if since >= until:
            raise CommandError("--since must be before --until")
        known = {c.name for c in all_consumers()}
        # Without Redis/Kafka (the embedded default) there is no stream: offer the range to every consumer,
        # each of which skips what it already handled.
        names = options["consumer"] or ([stream.CONSUMER] if stream.CONSUMER in known else sorted(known))
        unknown = sorted(set(names) - known)
        if unknown:
            raise CommandError(f"unknown consumer(s) {unknown}; registered: {sorted(known)}")
        count = relay.replay(since=since, until=until, consumer_names=names, force=options["force"])
        self.stdout.write(f"replay_events: dispatched {count} event(s) to {', '.join(names)}")
