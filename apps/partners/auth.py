"""DRF doors: ``Authorization: Api-Key <key>``, scopes per view and method, properties a partner may sell."""

from __future__ import annotations

from typing import Any

from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from apps.partners.keys import api_key_authenticate
from apps.partners.models import Partner
from booking_platform.errors import NotFound, PermissionDenied

KEYWORD = "Api-Key"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Partner, None] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _, key = header.strip().partition(" ")
        if keyword != KEYWORD or not key.strip():
            raise exceptions.AuthenticationFailed(f"Use 'Authorization: {KEYWORD} <key>'.")
        partner = api_key_authenticate(key=key.strip())
        if partner is None:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked API key.")
        return partner, None

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class HasScope(permissions.BasePermission):
    """The view's ``scopes`` maps HTTP methods to the scope they need; a missing scope is 403."""

    def has_permission(self, request: Request, view: Any) -> bool:
        partner = request.user
        if not isinstance(partner, Partner):
            raise exceptions.NotAuthenticated()
        needed = view.scopes.get(request.method) or view.scopes.get("*")
        if needed and not partner.has_scope(needed):
            raise PermissionDenied(
                f"This key lacks the {needed} scope.", code="insufficient_scope", extra={"scope": needed}
            )
        return True


def require_property(partner: Partner, property_id: int) -> None:
    """A property the partner may not sell is, to it, one that does not exist."""
    if not partner.may_sell(property_id):
        raise NotFound("No such property.", code="property_not_found", extra={"field": "property"})
