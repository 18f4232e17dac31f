"""A partner's webhook receiver, written from the README's "Webhooks" section alone.

It checks the ``Webhook-Signature`` header (``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + raw
body>`` keyed with the webhook's secret), refuses stale timestamps, and dedupes by ``Webhook-Id``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOLERANCE_SECONDS = 300


def verify(*, secret: str, header: str, body: bytes, now: float | None = None) -> bool:
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    if "t" not in parts or "v1" not in parts or not parts["t"].isdigit():
        return False
    if abs((now or time.time()) - int(parts["t"])) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


class Receiver:
    """Answers each POST with the next status in ``answers`` (the last one repeats)."""

    def __init__(self, *, answers: list[int] | None = None) -> None:
        self.answers = list(answers or [200])
        self.secret = ""
        self.received: list[dict[str, Any]] = []
        self.seen_ids: set[str] = set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                valid = verify(secret=receiver.secret, header=self.headers.get("Webhook-Signature", ""), body=body)
                status = receiver.answers.pop(0) if len(receiver.answers) > 1 else receiver.answers[0]
                event_id = self.headers.get("Webhook-Id", "")
                receiver.received.append(
                    {
                        "valid": valid,
                        "event_id": event_id,
                        "body": json.loads(body),
                        "status": status,
                        "duplicate": event_id in receiver.seen_ids,
                    }
                )
                if 200 <= status < 300:
                    receiver.seen_ids.add(event_id)
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/booking"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
