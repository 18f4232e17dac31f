"""One DRF exception handler: every refusal becomes RFC 9457 problem JSON with a stable ``code``.

Domain errors (ApplicationError) keep their code and status; DRF's own refusals (validation, auth,
throttling, 404, 405, 406, 415) get codes of their own, and validation errors name every field.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from booking_platform.errors import ApplicationError

PROBLEM_CONTENT_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
}


def problem(*, status_code: int, code: str, detail: str, request: Request | None = None, **extensions: Any) -> Response:
    """A problem+json response; ``type`` names the code so clients can branch on either."""
    body: dict[str, Any] = {
        "type": f"urn:problem:{code}",
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
        "code": code,
    }
    if request is not None:
        body["instance"] = request.path
    body.update({key: value for key, value in extensions.items() if value is not None})
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def field_errors(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """Flatten DRF's nested error detail into [{field, code, message}], fields dotted ("rooms.0.adults")."""
    if isinstance(detail, dict):
        return [e for key, value in detail.items() for e in field_errors(value, f"{prefix}{key}.")]
    if isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail | str) for item in detail):
            return [e for item in detail for e in field_errors(item, prefix)]
        return [e for i, item in enumerate(detail) for e in field_errors(item, f"{prefix}{i}.")]
    field = prefix.rstrip(".") or "non_field_errors"
    return [{"field": field, "code": str(getattr(detail, "code", "invalid")), "message": str(detail)}]


def _application_problem(exc: ApplicationError, request: Request | None) -> Response:
    extra = dict(exc.extra)
    errors = None
    if "field" in extra:
        errors = [{"field": str(extra["field"]), "code": exc.code, "message": exc.message}]
    return problem(
        status_code=exc.http_status,
        code=exc.code,
        detail=exc.message,
        request=request,
        errors=errors,
        extra=extra or None,
    )


def _drf_code(exc: exceptions.APIException) -> str:
    codes = {
        exceptions.NotAuthenticated: "not_authenticated",
        exceptions.AuthenticationFailed: "authentication_failed",
        exceptions.PermissionDenied: "forbidden",
        exceptions.NotFound: "not_found",
        exceptions.MethodNotAllowed: "method_not_allowed",
        exceptions.NotAcceptable: "not_acceptable",
        exceptions.UnsupportedMediaType: "unsupported_media_type",
        exceptions.Throttled: "rate_limited",
        exceptions.ParseError: "malformed_request",
    }
    for kind, code in codes.items():
        if isinstance(exc, kind):
            return code
    return str(getattr(exc, "default_code", "error"))


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]; None (a 500) only for genuinely unexpected errors."""
    request = context.get("request")
    if isinstance(exc, ApplicationError):
        return _application_problem(exc, request)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    if isinstance(exc, exceptions.ValidationError):
        response = problem(
            status_code=status.HTTP_400_BAD_REQUEST,
            code="invalid",
            detail="The request has invalid fields.",
            request=request,
            errors=field_errors(exc.detail),
        )
    else:
        response = problem(status_code=exc.status_code, code=_drf_code(exc), detail=str(exc.detail), request=request)
    for name, value in headers.items():
        response[name] = value
    return response
