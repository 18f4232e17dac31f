"""Prometheus metrics: process counters plus outbox gauges read from the database at scrape.

Counters count what this process did (scrape each web/worker pod); the outbox
gauges come from the database, so any pod reports the same, true backlog. Under
gunicorn, PROMETHEUS_MULTIPROC_DIR (set by config/gunicorn.conf.py) makes every
worker write its samples there and /metrics sums them: one pod, one answer.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

EVENTS_PUBLISHED = Counter("bp_events_published", "Outbox events handed to the broker by this process.")
EVENTS_PUBLISH_FAILED = Counter("bp_events_publish_failed", "Attempts to publish an outbox event that failed.")
EVENTS_CONSUMED = Counter("bp_events_consumed", "Events handled by a consumer.", ["consumer", "outcome"])
STREAM_APPENDED = Counter("bp_stream_appended", "Events appended to the analytics stream.", ["backend"])
NOTIFICATIONS = Counter("bp_notifications", "Notification send attempts by outcome.", ["channel", "outcome"])
HTTP_REQUESTS = Counter("bp_http_requests", "HTTP requests answered.", ["method", "route", "status"])
HTTP_LATENCY = Histogram(
    "bp_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


class OutboxCollector(Collector):
    """Backlog gauges computed from the outbox table when /metrics is scraped."""

    def describe(self) -> Iterator[GaugeMetricFamily]:
        """Names only, so registering does not query the database at import time."""
        yield GaugeMetricFamily("bp_events_unpublished", "")
        yield GaugeMetricFamily("bp_events_oldest_unpublished_age_seconds", "")
        yield GaugeMetricFamily("bp_notifications_unfinished", "", labels=["channel", "status"])

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from booking_platform.events.models import OutboxEvent

        unpublished = GaugeMetricFamily("bp_events_unpublished", "Outbox events not yet published.")
        oldest = GaugeMetricFamily(
            "bp_events_oldest_unpublished_age_seconds", "Age of the oldest unpublished outbox event (0: none)."
        )
        try:
            pending = OutboxEvent.objects.filter(published_at__isnull=True)
            count = pending.count()
            first = pending.order_by("id").values_list("occurred_at", flat=True).first()
        except DatabaseError as exc:
            logger.warning("metrics: outbox not readable", extra={"error": str(exc)[:200]})
            return
        unpublished.add_metric([], count)
        oldest.add_metric([], (timezone.now() - first).total_seconds() if first else 0.0)
        yield unpublished
        yield oldest
        yield from _deliveries()


def _deliveries() -> Iterator[GaugeMetricFamily]:
    """Pending and failed deliveries per channel: a failed one needs a human, a growing pending count a worker."""
    from booking_platform.notifications.models import Delivery

    family = GaugeMetricFamily(
        "bp_notifications_unfinished", "Deliveries not sent (pending or failed).", labels=["channel", "status"]
    )
    try:
        rows = (
            Delivery.objects.filter(status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED])
            .values_list("channel", "status")
            .annotate(n=Count("id"))
            .order_by()
        )
        counts = {(channel, status): n for channel, status, n in rows}
    except DatabaseError as exc:
        logger.warning("metrics: deliveries not readable", extra={"error": str(exc)[:200]})
        return
    for channel in Delivery.Channel.values:
        for status in (Delivery.Status.PENDING, Delivery.Status.FAILED):
            family.add_metric([channel, status], counts.get((channel, status), 0))
    yield family


_collector = OutboxCollector()
REGISTRY.register(_collector)


def oldest_unpublished_age() -> float:
    """Seconds since the oldest unpublished event occurred; 0 when none waits."""
    from booking_platform.events.models import OutboxEvent

    first = (
        OutboxEvent.objects.filter(published_at__isnull=True)
        .order_by("id")
        .values_list("occurred_at", flat=True)
        .first()
    )
    return (timezone.now() - first).total_seconds() if first else 0.0


def observe_request(*, method: str, route: str, status: int, seconds: float) -> None:
    """One answered request; ``route`` is the URL pattern, never the raw path (bounded label values)."""
    HTTP_REQUESTS.labels(method, route, str(status)).inc()
    HTTP_LATENCY.labels(method, route, str(status)).observe(seconds)


def _registry() -> CollectorRegistry:
    """Under gunicorn: every worker's samples summed from PROMETHEUS_MULTIPROC_DIR, plus the outbox gauges."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    registry.register(_collector)
    return registry


def _refusal(request: HttpRequest) -> HttpResponse | None:
    """With METRICS_TOKEN set, only a scraper that sends it; without one, only where made public."""
    token = settings.METRICS_TOKEN
    if not token:
        if settings.METRICS_PUBLIC:
            return None
        return HttpResponse("metrics are off: set METRICS_TOKEN\n", status=403, content_type="text/plain")
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if constant_time_compare(sent, token):
        return None
    response = HttpResponse("metrics need a bearer token\n", status=401, content_type="text/plain")
    response["WWW-Authenticate"] = 'Bearer realm="metrics"'
    return response


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text exposition for the scraper allowed to read it."""
    refused = _refusal(request)
    if refused is not None:
        return refused
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
