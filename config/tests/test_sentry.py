"""Sentry through the real SDK transport to a local DSN: messages, extra and breadcrumbs arrive scrubbed."""

from __future__ import annotations

import subprocess
import sys
import time

from config.tests.servers import ROOT, http_sink

SCRIPT = """
import logging, sys
import sentry_sdk
from booking_platform.observability.sentry import init_sentry

init_sentry(sys.argv[1], environment="test")
log = logging.getLogger("booking_platform.test")
sentry_sdk.add_breadcrumb(category="guest", message="looked up jane.doe@example.com", data={"guest_name": "Jane Doe"})
log.warning("called +4930123456789 back")
log.error("payment for jane.doe@example.com failed", extra={"guest_name": "Jane Doe", "booking_id": 41})
def fail(email, full_name):
    raise ValueError(f"cannot notify {email}")
try:
    fail("jane.doe@example.com", "Jane Doe")
except ValueError:
    sentry_sdk.capture_exception()
sentry_sdk.flush(5)
"""


def test_messages_extra_breadcrumbs_and_frames_reach_sentry_without_personal_data() -> None:
    with http_sink() as sink:
        dsn = f"http://publickey@127.0.0.1:{sink.port}/1"
        done = subprocess.run([sys.executable, "-c", SCRIPT, dsn], cwd=ROOT, capture_output=True, text=True, timeout=60)
        deadline = time.monotonic() + 10
        while len(sink.envelopes()) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    assert done.returncode == 0, done.stderr
    events = sink.envelopes()
    assert len(events) == 2  # the ERROR log line and the exception
    received = sink.text()
    for personal in ("jane.doe@example.com", "Jane Doe", "+4930123456789"):
        assert personal not in received
    logged = next(e for e in events if "logentry" in e)
    assert logged["logentry"]["message"] == "payment for [Filtered] failed"
    assert logged["extra"]["booking_id"] == 41  # ids stay: they are how support finds the booking
    crumbs = [c.get("message") for c in logged["breadcrumbs"]["values"]]
    assert "looked up [Filtered]" in crumbs
    assert "called [Filtered] back" in crumbs
    raised = next(e for e in events if "exception" in e)
    assert raised["exception"]["values"][0]["value"] == "cannot notify [Filtered]"
    assert all("vars" not in f for f in raised["exception"]["values"][0]["stacktrace"]["frames"])
