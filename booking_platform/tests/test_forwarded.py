"""X-Forwarded-For is believed only as far as the configured proxies vouch for it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from booking_platform.forwarded import TrustedProxyMiddleware, client_address


@pytest.mark.parametrize(
    ("header", "proxies", "expected"),
    [
        ("203.0.113.7", 1, "203.0.113.7"),
        ("6.6.6.6, 203.0.113.7", 1, "203.0.113.7"),  # the client's own prefix is ignored
        ("6.6.6.6, 203.0.113.7, 10.0.0.4", 2, "203.0.113.7"),  # load balancer + ingress
        ("203.0.113.7, 10.0.0.4", 2, "203.0.113.7"),
        ("2001:db8::1, 10.0.0.4", 2, "2001:db8::1"),
        ("203.0.113.7", 2, None),  # fewer hops than proxies: not through the proxies
        ("not-an-ip, 10.0.0.4", 2, None),
        ("", 1, None),
        ("203.0.113.7", 0, None),  # 0: the header is never believed
    ],
)
def test_client_address_counts_trusted_hops_from_the_right(header: str, proxies: int, expected: str | None) -> None:
    assert client_address(header, proxies=proxies) == expected


def _seen_remote_addr(header: str | None) -> str:
    seen: dict[str, str] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen["addr"] = request.META["REMOTE_ADDR"]
        return HttpResponse("ok")

    extra = {"REMOTE_ADDR": "10.0.0.9"}
    if header is not None:
        extra["HTTP_X_FORWARDED_FOR"] = header
    TrustedProxyMiddleware(view)(RequestFactory().get("/", **extra))
    return seen["addr"]


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_middleware_rewrites_remote_addr_behind_two_proxies() -> None:
    assert _seen_remote_addr("198.51.100.1, 203.0.113.7, 10.0.0.4") == "203.0.113.7"
    assert _seen_remote_addr("203.0.113.7") == "10.0.0.9"
    assert _seen_remote_addr(None) == "10.0.0.9"


def test_by_default_a_forged_header_changes_nothing() -> None:
    assert settings.TRUSTED_PROXY_COUNT == 0
    assert _seen_remote_addr("203.0.113.7") == "10.0.0.9"


def test_middleware_runs_first() -> None:
    assert settings.MIDDLEWARE[0] == "booking_platform.forwarded.TrustedProxyMiddleware"
