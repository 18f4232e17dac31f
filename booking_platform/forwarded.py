"""The client address behind a known number of proxies (load balancer, ingress).

Each proxy appends the address it was reached from to ``X-Forwarded-For``, so with
``TRUSTED_PROXY_COUNT = n`` the n-th entry from the right is the one a trusted proxy wrote:
everything left of it is whatever the client chose to send. With 0 (the default) the header
is ignored. A header shorter than n, or an entry that is not an IP address, means the request
did not come through the proxies as configured: ``REMOTE_ADDR`` is then left as it is.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def client_address(forwarded_for: str, *, proxies: int) -> str | None:
    """The address the outermost trusted proxy saw, or None when the header cannot be trusted."""
    if proxies <= 0 or not forwarded_for:
        return None
    hops = [hop.strip() for hop in forwarded_for.split(",")]
    if len(hops) < proxies:
        return None
    candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


class TrustedProxyMiddleware:
    """Rewrites ``REMOTE_ADDR`` to the client's address; first in the chain so logs and throttles see it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        address = client_address(request.META.get("HTTP_X_FORWARDED_FOR", ""), proxies=self.proxies)
        if address is not None:
            request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
