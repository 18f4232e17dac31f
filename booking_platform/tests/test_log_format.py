"""Log lines as operators read them: JSON with UTC ISO-8601 times, console lines that keep the extras."""

import json
import logging

import pytest
from django.test import Client

from booking_platform.observability.logging import ConsoleFormatter, JsonFormatter, RequestIdFilter

CREATED = 1796131519.484  # 2026-12-01T13:25:19.484Z


def _record(**extra: object) -> logging.LogRecord:
    record = logging.LogRecord(
        "booking_platform.events.relay", logging.WARNING, __file__, 1, "event publish failed", (), None
    )
    record.created = CREATED
    for key, value in extra.items():
        setattr(record, key, value)
    RequestIdFilter().filter(record)
    return record


def test_json_lines_carry_utc_iso_times_and_the_extras() -> None:
    line = json.loads(JsonFormatter().format(_record(error="ConnectionError: refused", event_id=7)))
    assert line == {
        "time": "2026-12-01T13:25:19.484Z",
        "level": "WARNING",
        "logger": "booking_platform.events.relay",
        "message": "event publish failed",
        "request_id": "-",
        "error": "ConnectionError: refused",
        "event_id": 7,
    }


def test_console_lines_keep_the_extra_fields() -> None:
    line = ConsoleFormatter().format(_record(error="ConnectionError: refused", event_id=7))
    assert line == (
        "2026-12-01T13:25:19.484Z WARNING [-] booking_platform.events.relay: event publish failed "
        "error='ConnectionError: refused' event_id=7"
    )


@pytest.mark.django_db
def test_static_files_are_not_logged_at_info_but_pages_are(client: Client, caplog) -> None:
    with caplog.at_level(logging.DEBUG, logger="booking_platform.access"):
        client.get("/static/admin/css/base.css")
        client.get("/healthz")
    access = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "booking_platform.access"]
    assert access == [("DEBUG", "GET /static/admin/css/base.css 200"), ("INFO", "GET /healthz 200")]
