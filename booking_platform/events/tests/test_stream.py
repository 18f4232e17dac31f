"""The analytics stream against the real Redis (skips on the SQLite pass without REDIS_URL)."""

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
import redis
from django.core.management import call_command
from django.utils import timezone

from booking_platform.events import stream
from booking_platform.events.consumers import register_consumer, unregister_consumer
from booking_platform.events.tests.helpers import emit_committed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_stream(require_redis: str, settings) -> Iterator[tuple[redis.Redis, str]]:
    name = f"test-booking-events-{uuid.uuid4().hex[:8]}"
    settings.EVENT_STREAM_BACKEND, settings.EVENT_STREAM_NAME, settings.EVENT_STREAM_MAXLEN = "redis", name, 1000
    previous = stream.get_consumer_registration()
    register_consumer(stream.CONSUMER, stream.publish_to_stream, transactional=False)
    client = redis.Redis.from_url(require_redis)
    try:
        yield client, name
    finally:
        client.delete(name)
        unregister_consumer(stream.CONSUMER)
        if previous is not None:
            register_consumer(previous.name, previous.handler, transactional=False)


def entries(client: redis.Redis, name: str) -> list[dict[str, str]]:
    return [{k.decode(): v.decode() for k, v in fields.items()} for _, fields in client.xrange(name)]


def test_each_event_is_appended_once_with_its_fields(redis_stream) -> None:
    client, name = redis_stream
    event = emit_committed("booking.confirmed", "K7M-4QXP-9TRA", reference="K7M-4QXP-9TRA", total="456.00")

    [entry] = entries(client, name)
    assert entry["event_id"] == str(event.event_id)
    assert entry["type"] == "booking.confirmed"
    assert entry["aggregate_id"] == "K7M-4QXP-9TRA"
    assert entry["occurred_at"] == event.occurred_at.isoformat()
    assert json.loads(entry["payload"]) == {"reference": "K7M-4QXP-9TRA", "total": "456.00"}


def test_replay_skips_what_was_appended_unless_forced(redis_stream) -> None:
    client, name = redis_stream
    emit_committed("booking.confirmed", "REF-1")
    emit_committed("booking.cancelled", "REF-1")
    since = (timezone.now() - timedelta(minutes=5)).isoformat()
    until = (timezone.now() + timedelta(minutes=5)).isoformat()

    call_command("replay_events", since=since, until=until)
    assert [e["type"] for e in entries(client, name)] == ["booking.confirmed", "booking.cancelled"]

    call_command("replay_events", since=since, until=until, force=True)
    assert [e["type"] for e in entries(client, name)] == ["booking.confirmed", "booking.cancelled"] * 2


def test_the_stream_stays_bounded(redis_stream, settings) -> None:
    client, name = redis_stream
    settings.EVENT_STREAM_MAXLEN = 5
    stream._build.cache_clear()
    for i in range(300):
        emit_committed("booking.held", f"REF-{i}")
    assert client.xlen(name) < 300


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # kafka-python's schema loader
def test_kafka_backend_is_selected_by_setting_and_fails_cleanly_without_a_broker(settings) -> None:
    """No Kafka broker runs here: this proves only the selection and the failure mode."""
    from kafka.errors import KafkaError

    from booking_platform.notifications.testing import free_port

    settings.EVENT_STREAM_BACKEND = "kafka"
    assert stream.backend_name() == "kafka"
    with pytest.raises(KafkaError):
        stream.KafkaPublisher(bootstrap=f"127.0.0.1:{free_port()}", topic="booking-events", timeout_ms=300)


def test_no_backend_without_redis_url(settings) -> None:
    settings.EVENT_STREAM_BACKEND, settings.REDIS_URL = "", ""
    assert stream.backend_name() == "none"
    assert stream.get_publisher() is None
