"""Request id in, request id out, one access log line and one metrics sample per request."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from booking_platform.observability.context import accept_request_id, request_id_var
from booking_platform.observability.metrics import observe_request

logger = logging.getLogger("booking_platform.access")
HEADER = "X-Request-ID"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = accept_request_id(request.headers.get(HEADER))
        token = request_id_var.set(request_id)
        request.request_id = request_id
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            seconds = time.perf_counter() - started
            _record(request, response, seconds)
            return response
        finally:
            request_id_var.reset(token)


def route_of(request: HttpRequest) -> str:
    """The URL pattern that answered (``admin/auth/user/<path:object_id>/change/``), a bounded label."""
    if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return "static"
    match = getattr(request, "resolver_match", None)
    if match is None:
        return request.path if request.path in {"/healthz", "/readyz"} else "unmatched"
    return "/" + match.route


def _record(request: HttpRequest, response: HttpResponse, seconds: float) -> None:
    route = route_of(request)
    method = request.method if request.method in _METHODS else "OTHER"
    observe_request(method=method, route=route, status=response.status_code, seconds=seconds)
    # Static files are many and dull: DEBUG, so INFO keeps one line per page, not per asset.
    level = logging.DEBUG if route == "static" else logging.INFO
    logger.log(
        level,
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 2),
        },
    )
