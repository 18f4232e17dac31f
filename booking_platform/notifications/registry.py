"""What apps plug in: planners (who gets what for an event) and renderers (the message).

The kernel stores only (event, channel, recipient, kind) in a Delivery; the text is
rendered when sending, from the event and fresh lookups, so no message body with
personal data is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from booking_platform.events.consumers import register_consumer
from booking_platform.events.types import Event


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class EmailMessage:
    subject: str
    text: str
    html: str = ""
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)
    reply_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class SmsMessage:
    text: str


@dataclass(frozen=True)
class Planned:
    """One message to owe: ``kind`` names the renderer, ``channel`` is "email" or "sms"."""

    kind: str
    channel: str
    recipient: str


Renderer = Callable[[Event, str], EmailMessage | SmsMessage]
Planner = Callable[[Event], Iterable[Planned]]

_renderers: dict[str, Renderer] = {}


class UnknownRenderer(LookupError):
    """A Delivery names a kind no app registered (a deploy without that app?)."""


def register_renderer(kind: str, renderer: Renderer) -> Renderer:
    _renderers[kind] = renderer
    return renderer


def render(kind: str, event: Event, recipient: str) -> EmailMessage | SmsMessage:
    try:
        renderer = _renderers[kind]
    except KeyError:
        raise UnknownRenderer(kind) from None
    return renderer(event, recipient)


def register_notifier(name: str, planner: Planner, *, event_types: Iterable[str]) -> None:
    """An events consumer ``notify:<name>`` that turns each event into Delivery rows (exactly once)."""
    from booking_platform.notifications.services import plan_deliveries

    def handle(event: Event) -> None:
        plan_deliveries(event, list(planner(event)))

    register_consumer(f"notify:{name}", handle, event_types=event_types, transactional=True)
