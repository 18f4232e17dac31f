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


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details; `code` is stable, `errors` names each invalid field.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"}},
                "required": ["field", "code", "message"],
            },
        },
        "extra": {"type": "object", "additionalProperties": True},
    },
    "required": ["type", "title", "status", "detail", "code"],
}
ERROR_STATUSES = {
    "400": "Invalid input (fields named in `errors`), missing Idempotency-Key",
    "401": "No or invalid API key",
    "403": "The key lacks the scope",
    "404": "Not found, or not yours",
    "405": "Method not allowed",
    "406": "Not acceptable",
    "409": "Conflict: sold out, wrong state, stale version, the same Idempotency-Key still in flight",
    "415": "Unsupported media type",
    "422": "Idempotency-Key reused with another request",
    "429": "Rate limited (see Retry-After)",
}


def add_problem_responses(result: dict, generator, request, public) -> dict:  # type: ignore[no-untyped-def]
    """drf-spectacular postprocessing hook: every operation may answer the problem+json errors above."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM_SCHEMA
    ref = {"$ref": "#/components/schemas/Problem"}
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            for code, words in ERROR_STATUSES.items():
                responses.setdefault(
                    code, {"description": words, "content": {"application/problem+json": {"schema": ref}}}
                )
    return result
