"""The one base view of /api/v1: API-key auth, scopes, rate limits, Idempotency-Key on POST."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.bookings import interface as bookings
from apps.partners.auth import ApiKeyAuthentication, HasScope
from apps.partners.models import Partner
from apps.partners.throttling import PartnerRateThrottle
from booking_platform.api.idempotency import clean_key, fingerprint, run_idempotent
from booking_platform.api.problems import problem


class PartnerView(APIView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [PartnerRateThrottle]
    scopes: dict[str, str] = {}

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """Failed logins count against the caller's IP too, so keys cannot be guessed at full speed."""
        try:
            super().initial(request, *args, **kwargs)
        except (exceptions.NotAuthenticated, exceptions.AuthenticationFailed):
            throttle = PartnerRateThrottle()
            if not throttle.allow_request(request, self):
                self.throttled(request, throttle.wait())
            raise

    @property
    def partner(self) -> Partner:
        return self.request.user  # type: ignore[return-value]

    @property
    def actor(self) -> bookings.Actor:
        return bookings.Actor.partner(self.partner.pk)

    def idempotent(self, request: Request, work: Callable[[], Response]) -> Response:
        """Run a POST once per Idempotency-Key (per partner); retries get the first answer back."""
        key = clean_key(request.headers.get("Idempotency-Key"))
        print_ = fingerprint(method=request.method or "POST", path=request.path, body=request.body)
        return run_idempotent(owner=f"partner:{self.partner.pk}", key=key, print_=print_, work=work)


@csrf_exempt  # no cookie auth here: a POST to a wrong path is a 404 problem, not Django's HTML 403
def not_found(request: Any, *args: Any, **kwargs: Any) -> Any:
    """Any other path under /api/v1 is a problem+json 404, not Django's HTML page."""
    response = problem(status_code=404, code="not_found", detail="No such endpoint.")
    response.accepted_renderer = JSONRenderer()
    response.accepted_media_type = "application/json"
    response.renderer_context = {}
    response.render()
    return response
