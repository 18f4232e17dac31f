"""Sending webhook deliveries: one POST per attempt, exponential backoff, auto-disable.

An attempt first claims the delivery with a conditional UPDATE (so two workers never send the same
attempt), then POSTs without following redirects and only to public addresses (checked again at send
time). 2xx delivers; 410 Gone switches the webhook off at once; anything else is retried after
30 s, 1 min, 2 min, ... (at most 2 h apart) until WEBHOOKS_RETRY_HOURS after the event, and a run of
WEBHOOKS_DISABLE_AFTER_FAILURES failed attempts in a row switches the webhook off.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.partners.models import Webhook, WebhookDelivery
from apps.partners.webhooks import SIGNATURE_HEADER, encode, now_seconds, public_address_problem, sign

logger = logging.getLogger(__name__)
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 2 * 60 * 60
Pending = WebhookDelivery.State.PENDING


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None  # a 3xx is an answer, not an invitation to call another host


_opener = urllib.request.build_opener(_NoRedirects)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS))


def _claim(delivery_id: int) -> WebhookDelivery | None:
    now = timezone.now()
    lease = now + timedelta(seconds=settings.WEBHOOKS_TIMEOUT * 3 + 5)
    claimed = WebhookDelivery.objects.filter(pk=delivery_id, state=Pending, next_attempt_at__lte=now).update(
        next_attempt_at=lease, attempts=F("attempts") + 1
    )
    return WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id) if claimed else None


def post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """(HTTP status or None, error words) of one POST."""
    hook = delivery.webhook
    problem = public_address_problem(hook.url)
    if problem:
        return None, problem
    body = encode(delivery.payload)
    request = urllib.request.Request(hook.url, data=body, method="POST")  # noqa: S310 - http(s) checked above
    request.add_header("Content-Type", "application/json")
    request.add_header("User-Agent", "booking-platform-webhooks/1")
    request.add_header("Webhook-Id", str(delivery.event_id))
    request.add_header(SIGNATURE_HEADER, sign(secret=hook.secret, timestamp=now_seconds(), body=body))
    try:
        with _opener.open(request, timeout=settings.WEBHOOKS_TIMEOUT) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, str(getattr(exc, "reason", exc))[:300]


def delivery_attempt(*, delivery_id: int) -> str | None:
    """One attempt if the delivery is due; returns its state afterwards (None: not due or not ours)."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    if not delivery.webhook.is_active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=WebhookDelivery.State.FAILED, last_error="webhook disabled"
        )
        return WebhookDelivery.State.FAILED
    status_code, error = post(delivery)
    return _record(delivery, status_code=status_code, error=error)


def _record(delivery: WebhookDelivery, *, status_code: int | None, error: str) -> str:
    now = timezone.now()
    hook = delivery.webhook
    with transaction.atomic():
        if status_code is not None and 200 <= status_code < 300:
            WebhookDelivery.objects.filter(pk=delivery.pk).update(
                state=WebhookDelivery.State.DELIVERED,
                delivered_at=now,
                last_status_code=status_code,
                last_error="",
                next_attempt_at=None,
            )
            Webhook.objects.filter(pk=hook.pk).update(consecutive_failures=0)
            return WebhookDelivery.State.DELIVERED
        Webhook.objects.filter(pk=hook.pk).update(consecutive_failures=F("consecutive_failures") + 1)
        failures = Webhook.objects.values_list("consecutive_failures", flat=True).get(pk=hook.pk)
        gone = status_code == 410
        expired = now + backoff(delivery.attempts) > delivery.created_at + timedelta(
            hours=settings.WEBHOOKS_RETRY_HOURS
        )
        final = gone or expired or failures >= settings.WEBHOOKS_DISABLE_AFTER_FAILURES
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=WebhookDelivery.State.FAILED if final else Pending,
            last_status_code=status_code,
            last_error=error[:300],
            next_attempt_at=None if final else now + backoff(delivery.attempts),
        )
        if gone or failures >= settings.WEBHOOKS_DISABLE_AFTER_FAILURES:
            _disable(hook, reason="410 Gone" if gone else f"{failures} failed attempts in a row", now=now)
    logger.info("webhook attempt failed", extra={"delivery_id": delivery.pk, "status": status_code, "error": error})
    return WebhookDelivery.State.FAILED if final else Pending


def _disable(hook: Webhook, *, reason: str, now) -> None:  # type: ignore[no-untyped-def]
    Webhook.objects.filter(pk=hook.pk, is_active=True).update(is_active=False, disabled_at=now, disabled_reason=reason)
    WebhookDelivery.objects.filter(webhook=hook, state=Pending).update(
        state=WebhookDelivery.State.FAILED, last_error=f"webhook disabled: {reason}", next_attempt_at=None
    )
    logger.warning("webhook disabled", extra={"webhook_id": hook.pk, "reason": reason})


def deliveries_send_due(*, limit: int = 200) -> int:
    """The beat's sweep: every due delivery gets its attempt; returns how many were attempted."""
    due = list(
        WebhookDelivery.objects.filter(state=Pending, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in due if delivery_attempt(delivery_id=pk) is not None)
