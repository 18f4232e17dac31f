"""The analytics stream: every event appended once to Redis Streams or a Kafka topic.

Selected by EVENT_STREAM_BACKEND ("redis", "kafka", "none"; empty means redis when
REDIS_URL is set). The stream consumer's ProcessedEvent marker makes redelivery and
replay skip events already appended; a crash between append and marker can append
twice, so readers should still dedupe on the ``event_id`` field.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from typing import Any, Protocol

from django.conf import settings

from booking_platform.events.types import Event
from booking_platform.observability import metrics

logger = logging.getLogger(__name__)
CONSUMER = "stream"


class Publisher(Protocol):
    name: str

    def publish(self, event: Event) -> str:
        """Append one event; return the broker's id for it (entry id, or topic/partition/offset)."""
        ...


def event_fields(event: Event) -> dict[str, str]:
    return {
        "event_id": str(event.event_id),
        "type": event.event_type,
        "aggregate_type": event.aggregate_type,
        "aggregate_id": event.aggregate_id,
        "occurred_at": event.occurred_at.isoformat(),
        "payload_version": str(event.payload_version),
        "payload": json.dumps(event.payload, sort_keys=True, separators=(",", ":")),
    }


class RedisStreamPublisher:
    """XADD with an approximate MAXLEN, so the stream stays bounded without slowing writes."""

    name = "redis"

    def __init__(self, url: str, *, stream: str, maxlen: int, timeout: float = 5.0) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        self.stream = stream
        self.maxlen = maxlen

    def publish(self, event: Event) -> str:
        entry = self.client.xadd(self.stream, event_fields(event), maxlen=self.maxlen, approximate=True)
        return entry.decode() if isinstance(entry, bytes) else str(entry)


class KafkaPublisher:
    """A Kafka topic (OCI Streaming's Kafka API): keyed by aggregate so one booking stays in order.

    Not exercised by the test suite: no Kafka broker runs here.
    """

    name = "kafka"

    def __init__(
        self, *, bootstrap: str, topic: str, username: str = "", password: str = "", timeout_ms: int = 10000
    ) -> None:
        from kafka import KafkaProducer  # kafka-python, pure Python

        options: dict[str, Any] = {
            "bootstrap_servers": bootstrap.split(","),
            "acks": "all",
            "retries": 3,
            "bootstrap_timeout_ms": timeout_ms,
            "max_block_ms": timeout_ms,
        }
        if username:
            options.update(
                security_protocol="SASL_SSL",
                sasl_mechanism="PLAIN",
                sasl_plain_username=username,
                sasl_plain_password=password,
            )
        self.producer = KafkaProducer(**options)
        self.topic = topic

    def publish(self, event: Event) -> str:
        fields = event_fields(event)
        future = self.producer.send(
            self.topic,
            key=event.aggregate_id.encode(),
            value=json.dumps(fields).encode(),
            headers=[("event_id", fields["event_id"].encode()), ("type", event.event_type.encode())],
        )
        meta = future.get(timeout=10)
        return f"{meta.topic}/{meta.partition}/{meta.offset}"


def backend_name(conf: Any = settings) -> str:
    chosen = (getattr(conf, "EVENT_STREAM_BACKEND", "") or "").lower()
    if chosen:
        return chosen
    return "redis" if getattr(conf, "REDIS_URL", "") else "none"


@lru_cache(maxsize=4)
def _build(backend: str, url: str, stream: str, maxlen: int, kafka: tuple[str, str, str, str]) -> Publisher:
    if backend == "redis":
        return RedisStreamPublisher(url, stream=stream, maxlen=maxlen)
    if backend == "kafka":
        bootstrap, topic, username, password = kafka
        return KafkaPublisher(bootstrap=bootstrap, topic=topic, username=username, password=password)
    raise ValueError(f"unknown EVENT_STREAM_BACKEND {backend!r}")


def get_publisher() -> Publisher | None:
    """The configured publisher, built once per process and configuration."""
    backend = backend_name()
    if backend == "none":
        return None
    kafka = (settings.KAFKA_BOOTSTRAP_SERVERS, settings.KAFKA_TOPIC, settings.KAFKA_USERNAME, settings.KAFKA_PASSWORD)
    return _build(backend, settings.REDIS_URL, settings.EVENT_STREAM_NAME, settings.EVENT_STREAM_MAXLEN, kafka)


def get_consumer_registration() -> Any:
    """The registered stream consumer, if any (tests swap it)."""
    from booking_platform.events.consumers import get_consumer

    return get_consumer(CONSUMER)


def publish_to_stream(event: Event) -> None:
    """The stream consumer's handler (non-transactional: the append is outside the database)."""
    publisher = get_publisher()
    if publisher is None:
        return
    entry = publisher.publish(event)
    metrics.STREAM_APPENDED.labels(publisher.name).inc()
    logger.info("event streamed", extra={"event_id": str(event.event_id), "entry": entry})
