"""Retention purge, the operator commands and the metrics endpoint."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from booking_platform.events.models import OutboxEvent, ProcessedEvent
from booking_platform.events.tasks import purge
from booking_platform.events.tests.helpers import DEAD_BROKER, broker, emit_committed, recording

pytestmark = pytest.mark.django_db(transaction=True)


def test_purge_drops_old_published_events_and_their_markers_only(settings) -> None:
    settings.EVENTS_RETENTION_DAYS = 30
    with recording() as (_, consumer):
        old = emit_committed("test.one", "OLD")
        recent = emit_committed("test.one", "NEW")
        with broker(DEAD_BROKER):
            old_unpublished = emit_committed("test.one", "STUCK")
    long_ago = timezone.now() - timedelta(days=31)
    OutboxEvent.objects.filter(pk__in=[old.pk, old_unpublished.pk]).update(occurred_at=long_ago)

    assert purge.apply().result == 1  # EagerResult: .get() refuses once any test ran a worker in-process

    assert sorted(OutboxEvent.objects.values_list("aggregate_id", flat=True)) == ["NEW", "STUCK"]
    markers = ProcessedEvent.objects.filter(consumer=consumer.name).values_list("event_id", flat=True)
    assert list(markers) == [recent.event_id]


def test_relay_events_command_publishes_the_backlog() -> None:
    with recording() as (recorder, _):
        with broker(DEAD_BROKER):
            emit_committed("test.one", "AGG-1")
            out = StringIO()
            with pytest.raises(CommandError):
                call_command("relay_events", stdout=out)
            assert out.getvalue().startswith("relay_events: published 0, failed 1")
        out = StringIO()
        call_command("relay_events", "--reconcile", stdout=out)
        assert out.getvalue().startswith("relay_events: published 1, failed 0, re-dispatched 0")
        assert recorder.seen == [("AGG-1", "test.one")]


def test_replay_events_rejects_bad_ranges_and_unknown_consumers() -> None:
    with pytest.raises(CommandError, match="--since must be before --until"):
        call_command("replay_events", since="2026-02-01", until="2026-01-01")
    with pytest.raises(CommandError, match="unknown consumer"):
        call_command("replay_events", since="2026-01-01", until="2026-02-01", consumer=["nope"])
    with pytest.raises(CommandError, match="not an ISO date"):
        call_command("replay_events", since="yesterday", until="2026-02-01")


def test_replay_to_a_named_consumer_sends_nothing_twice() -> None:
    with recording() as (recorder, consumer):
        emit_committed("test.one", "AGG-1")
        out = StringIO()
        call_command("replay_events", since="2000-01-01", until="2100-01-01", consumer=[consumer.name], stdout=out)
        assert out.getvalue().strip() == f"replay_events: dispatched 1 event(s) to {consumer.name}"
        assert recorder.seen == [("AGG-1", "test.one")]


def test_metrics_show_the_backlog_and_its_age(client: Client, settings) -> None:
    settings.METRICS_TOKEN = "scrape-secret"
    with broker(DEAD_BROKER):
        event = emit_committed("test.one", "AGG-1")
    OutboxEvent.objects.filter(pk=event.pk).update(occurred_at=timezone.now() - timedelta(seconds=90))

    response = client.get("/metrics", headers={"Authorization": "Bearer scrape-secret"})

    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert "bp_events_unpublished 1.0" in lines
    age = next(line for line in lines if line.startswith("bp_events_oldest_unpublished_age_seconds "))
    assert 90 <= float(age.split()[1]) < 120
    assert any(line.startswith("bp_events_publish_failed_total ") for line in lines)
    assert 'bp_notifications_unfinished{channel="email",status="failed"} 0.0' in lines


def test_metrics_want_the_bearer_token_when_one_is_set(client: Client, settings) -> None:
    settings.METRICS_TOKEN = "scrape-secret"

    missing = client.get("/metrics")
    wrong = client.get("/metrics", headers={"Authorization": "Bearer guess"})
    right = client.get("/metrics", headers={"Authorization": "Bearer scrape-secret"})

    assert (missing.status_code, wrong.status_code, right.status_code) == (401, 401, 200)
    assert missing["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert b"bp_events_unpublished" not in wrong.content
    assert b"bp_events_unpublished" in right.content
