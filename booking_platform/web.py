"""Web plumbing every page shares: the Permissions-Policy header and the answer when the database is down."""

from __future__ import annotations

import sys
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import server_error as django_server_error

OUTAGE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Temporarily unavailable</title></head>
<body><h1>Temporarily unavailable</h1>
<p>We cannot reach our database right now. Nothing was changed; please try again in a minute.</p>
</body></html>
"""
RETRY_AFTER_SECONDS = 30


class PermissionsPolicyMiddleware:
    """Deny browser features no page here uses (camera, microphone, geolocation, payment...)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def database_unreachable(exc: BaseException | None) -> bool:
    """The errors an outage raises (connect refused, pool timeout, lost connection), not a bad query."""
    return isinstance(exc, OperationalError | InterfaceError)


def outage_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: problem+json under /api/, a short page everywhere else."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {  # the partner API's problem shape (booking_platform.api.problems), built without DRF
                "type": "urn:problem:service_unavailable",
                "title": "Service unavailable",
                "status": 503,
                "detail": "The database cannot be reached; nothing was changed. Try again later.",
                "code": "service_unavailable",
                "instance": request.path,
            },
            status=503,
            content_type="application/problem+json",
        )
    else:
        response = HttpResponse(OUTAGE_PAGE, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it inside its ``except``, so the exception in hand says what broke."""
    if database_unreachable(sys.exc_info()[1]):
        return outage_response(request)
    return django_server_error(request)
