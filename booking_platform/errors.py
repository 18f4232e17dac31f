"""Domain errors: one base with a stable ``code`` that API and web handlers map."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A refusal the caller can understand and act on; never a 500."""

    code = "application_error"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.extra = extra or {}

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **({"detail": self.extra} if self.extra else {})}


class ValidationFailed(ApplicationError):
    code = "invalid"
    http_status = 400


class NotFound(ApplicationError):
    code = "not_found"
    http_status = 404


class Conflict(ApplicationError):
    code = "conflict"
    http_status = 409


class PermissionDenied(ApplicationError):
    code = "forbidden"
    http_status = 403
