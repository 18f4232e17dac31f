"""The OpenAPI schema and its docs page are public (no key), limited per IP like any anonymous call."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.permissions import AllowAny

from apps.partners.throttling import PartnerRateThrottle


class PublicSchemaMixin:
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PartnerRateThrottle]


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "apps.partners.auth.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>` (the whole header value).",
        }
