"""Real local servers for tests: an SMTP server (aiosmtpd) and an HTTP SMS provider.

Used by the kernel's and the apps' notification tests; nothing here runs in production.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class SmtpSink:
    """What the SMTP server accepted; ``hang_rcpt`` stalls the first RCPT to that address."""

    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    greylist: dict[str, int] = field(default_factory=dict)  # address -> how many times to answer 451
    hang_rcpt: str = ""
    hanging: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m, (_, rcpts) in zip(self.messages, self.envelopes, strict=True) if address in rcpts]

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such user"
        if self.greylist.get(address, 0) > 0:
            self.greylist[address] -= 1
            return "451 4.7.1 greylisted, try again later"
        if self.hang_rcpt and address == self.hang_rcpt and not self.hanging.is_set():
            self.hanging.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted"


@contextmanager
def smtp_server(**options: Any) -> Iterator[SmtpSink]:
    from aiosmtpd.controller import Controller

    sink = SmtpSink(**options)
    sink.port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        sink.release.set()
        controller.stop()


@dataclass
class SmsSink:
    """Requests the fake provider received; ``statuses`` are answered in turn (then 200)."""

    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def accepted(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["status"] < 300]


def _handler_for(sink: SmsSink) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            with sink.lock:
                status = sink.statuses.pop(0) if sink.statuses else 200
                sink.requests.append(
                    {"path": self.path, "headers": dict(self.headers.items()), "json": body, "status": status}
                )
                number = len(sink.requests)
            reply = json.dumps({"id": f"msg-{number}"} if status < 300 else {"error": "nope"}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def sms_server() -> Iterator[SmsSink]:
    sink = SmsSink()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(sink))
    sink.url = f"http://127.0.0.1:{server.server_address[1]}/v1/messages"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()


SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@contextmanager
def smtp_delivery(settings: Any, **options: Any) -> Iterator[SmtpSink]:
    """A real SMTP server with Django's mail pointed at it (``settings``: pytest-django's fixture)."""
    with smtp_server(**options) as sink:
        settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = SMTP_BACKEND, "127.0.0.1", sink.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield sink


@contextmanager
def sms_delivery(settings: Any, *, api_key: str = "test-key", sender: str = "+4930000000") -> Iterator[SmsSink]:
    """A real local HTTP SMS provider with the ``http`` SMS backend pointed at it."""
    with sms_server() as sink:
        settings.SMS_BACKEND, settings.SMS_API_URL = "http", sink.url
        settings.SMS_API_KEY, settings.SMS_FROM = api_key, sender
        yield sink
