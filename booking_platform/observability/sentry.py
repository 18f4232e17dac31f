"""Errors to Sentry, never personal data: no request bodies, no local variables, scrubbed text.

``send_default_pii=False`` alone still sends form bodies and every frame's local variables
(a guest's name, email and phone during an outage). Here neither is captured, the SDK's
EventScrubber drops known-sensitive keys, and ``scrub_event`` masks emails and phone
numbers in whatever text remains (messages, exception values, extra, breadcrumbs).
"""

from __future__ import annotations

import re
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.integrations.redis import RedisIntegration
from sentry_sdk.scrubber import DEFAULT_DENYLIST, DEFAULT_PII_DENYLIST, EventScrubber

# Keys whose values are personal data wherever they appear (extra, contexts, breadcrumb data).
PERSONAL_KEYS = [
    "email",
    "phone",
    "name",
    "first_name",
    "last_name",
    "full_name",
    "guest_name",
    "guest",
    "customer_name",
    "recipient",
    "address",
    "username",
    "special_requests",
]
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"\+\d[\d ()./-]{6,}\d")  # E.164, as profiles store phones
MASK = "[Filtered]"


def scrub_text(text: str) -> str:
    return PHONE.sub(MASK, EMAIL.sub(MASK, text))


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """before_send / before_breadcrumb: mask emails and phone numbers in every string; drop bodies and vars."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("data", None)
        request.pop("cookies", None)
        request.pop("query_string", None)
    for exception in (event.get("exception") or {}).get("values", []) or []:
        for frame in (exception.get("stacktrace") or {}).get("frames", []) or []:
            frame.pop("vars", None)
    return _scrub(event)


def init_sentry(dsn: str, *, environment: str) -> None:
    """Errors and their stack traces only; see the module docstring for what is kept home."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        event_scrubber=EventScrubber(denylist=DEFAULT_DENYLIST + DEFAULT_PII_DENYLIST + PERSONAL_KEYS, recursive=True),
        before_send=scrub_event,
        before_breadcrumb=scrub_event,
        integrations=[DjangoIntegration(), CeleryIntegration(), RedisIntegration()],
        traces_sample_rate=0.0,
    )
