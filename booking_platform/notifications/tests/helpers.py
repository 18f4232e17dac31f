"""A test notifier: one event -> emails and SMS to the addresses in its payload."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from booking_platform.events.consumers import unregister_consumer
from booking_platform.events.types import Event
from booking_platform.notifications import registry
from booking_platform.notifications.registry import EmailMessage, Planned, SmsMessage

NOTIFIER = "test-notifier"


def plan(event: Event) -> list[Planned]:
    return [Planned("test.email", "email", a) for a in event.payload.get("emails", [])] + [
        Planned("test.sms", "sms", p) for p in event.payload.get("phones", [])
    ]


def render_email(event: Event, recipient: str) -> EmailMessage:
    return EmailMessage(subject=f"About {event.aggregate_id}", text=f"Hello {recipient}", html="<p>Hello</p>")


def render_sms(event: Event, recipient: str) -> SmsMessage:
    return SmsMessage(text=f"{event.event_type} {event.aggregate_id}")


@contextmanager
def notifier_registered() -> Iterator[None]:
    registry.register_renderer("test.email", render_email)
    registry.register_renderer("test.sms", render_sms)
    registry.register_notifier(NOTIFIER, plan, event_types=["test.notify"])
    try:
        yield
    finally:
        unregister_consumer(f"notify:{NOTIFIER}")
