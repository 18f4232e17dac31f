"""Webhooks: registration, the outbox consumer that plans deliveries, and signing.

Each booking event of a partner becomes one WebhookDelivery per active webhook that wants it, in the
same transaction as the consumer's processed marker (exactly once). Sending happens after commit
(apps/partners/delivery.py); the body is the feed's event JSON, signed over "<timestamp>.<body>".
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.partners.models import FeedEntry, Partner, Webhook, WebhookDelivery
from booking_platform.errors import ValidationFailed
from booking_platform.events.models import OutboxEvent
from booking_platform.events.types import Event

SIGNATURE_HEADER = "Webhook-Signature"
MAX_WEBHOOKS = 10


def event_body(row: OutboxEvent | Event | FeedEntry, *, cursor: str) -> dict[str, Any]:
    """One event as the feed lists it and as a webhook receives it."""
    return {
        "cursor": cursor,
        "event_id": str(row.event_id),
        "event_type": row.event_type,
        "occurred_at": row.occurred_at.isoformat().replace("+00:00", "Z"),
        "booking_reference": row.aggregate_id,
        "payload": row.payload,
    }


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    """The header value: ``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body>``."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def public_address_problem(url: str) -> str | None:
    """Why a URL must not be called (a private, loopback or link-local address), or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "The URL must be http(s) with a host."
    if settings.WEBHOOKS_ALLOW_PRIVATE_URLS:
        return None
    if parts.scheme != "https":
        return "The URL must use https."
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return "The host does not resolve."
    for info in infos:
        if not ipaddress.ip_address(info[4][0]).is_global:
            return "The host resolves to a private address."
    return None


def webhook_create(*, partner: Partner, url: str, event_types: list[str]) -> Webhook:
    problem = public_address_problem(url)
    if problem:
        raise ValidationFailed(problem, code="invalid_webhook_url", extra={"field": "url"})
    if Webhook.objects.filter(partner=partner).count() >= MAX_WEBHOOKS:
        raise ValidationFailed(f"At most {MAX_WEBHOOKS} webhooks.", code="too_many_webhooks", extra={"field": "url"})
    return Webhook.objects.create(
        partner=partner, url=url, event_types=sorted(set(event_types)), secret=secrets.token_hex(32)
    )


def plan_deliveries(event: Event) -> None:
    """The outbox consumer (transactional): one delivery per active webhook of the booking's partner."""
    partner_id = (event.payload or {}).get("partner_id")
    if event.aggregate_type != "booking" or not partner_id:
        return
    hooks = [h for h in Webhook.objects.filter(partner_id=partner_id, is_active=True) if h.wants(event.event_type)]
    if not hooks:
        return
    now = timezone.now()
    body = event_body(event, cursor="")
    body.pop("cursor")
    # Oracle's bulk_create returns no pks: the sender finds the rows by event id instead.
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                webhook=hook,
                event_id=event.event_id,
                event_type=event.event_type,
                payload=body,
                next_attempt_at=now,
                created_at=now,
            )
            for hook in hooks
        ]
    )
    event_id = str(event.event_id)

    def send() -> None:
        from apps.partners.tasks import deliver_event  # tasks import this module: resolve at call time

        deliver_event.delay(event_id)

    transaction.on_commit(send)


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def now_seconds() -> int:
    return int(time.time())
