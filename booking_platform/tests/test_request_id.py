import io
import json
import logging
import uuid

import pytest
from django.test import Client

from booking_platform.observability.context import request_id_var
from booking_platform.observability.logging import RequestIdFilter
from booking_platform.tasks import ping


@pytest.fixture
def json_log() -> io.StringIO:
    """The production formatter and filter, writing to a buffer we can read."""
    from pythonjsonlogger.json import JsonFormatter

    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter("%(levelname)s %(name)s %(message)s %(request_id)s"))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    yield buffer
    root.removeHandler(handler)
    root.setLevel(previous)


def _lines(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


def test_incoming_request_id_is_echoed_and_logged(client: Client, json_log: io.StringIO) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert response["X-Request-ID"] == "abc-123"
    access = [line for line in _lines(json_log) if line["name"] == "booking_platform.access"]
    assert len(access) == 1
    assert access[0]["request_id"] == "abc-123"
    assert access[0]["method"] == "GET"
    assert access[0]["path"] == "/healthz"
    assert access[0]["status"] == 200
    assert access[0]["duration_ms"] >= 0


def test_missing_or_unsafe_request_id_is_replaced(client: Client) -> None:
    generated = client.get("/healthz")["X-Request-ID"]
    assert uuid.UUID(generated).hex == generated
    unsafe = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})["X-Request-ID"]
    assert unsafe != "bad id\nwith newline"
    assert len(unsafe) == 32


@pytest.mark.django_db
def test_request_id_follows_into_an_in_process_task(json_log: io.StringIO) -> None:
    token = request_id_var.set("req-into-task")
    try:
        ping.delay("ping:in-process")
    finally:
        request_id_var.reset(token)
    from django.core.cache import cache

    assert cache.get("ping:in-process") == "req-into-task"
    pings = [line for line in _lines(json_log) if line["message"] == "ping"]
    assert [line["request_id"] for line in pings] == ["req-into-task"]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_request_id_reaches_a_real_worker(require_worker: None) -> None:
    import time

    from django.conf import settings

    key = f"ping:worker:{uuid.uuid4().hex}"
    token = request_id_var.set("req-into-worker")
    try:
        ping.delay(key)
    finally:
        request_id_var.reset(token)
    from django.core.cache import cache

    deadline = time.monotonic() + 20
    while cache.get(key) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert cache.get(key) == "req-into-worker", f"worker did not record the ping (redis {settings.REDIS_URL})"
