"""Partner and key services: keys are shown once, stored as SHA-256, found by prefix, rotated with overlap."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.partners.models import ApiKey, Partner, Scope
from booking_platform.errors import ValidationFailed

KEY_PREFIX = "bpk_"
_ALPHABET = string.ascii_lowercase + string.digits


@dataclass(frozen=True)
class IssuedKey:
    """The only moment the full key exists outside the caller: show it, then forget it."""

    key: str
    api_key: ApiKey


def hash_key(key: str) -> str:
    # Keys carry 256 random bits, so a fast hash is enough: nobody can guess their way to a preimage.
    return hashlib.sha256(key.encode()).hexdigest()


def api_key_issue(*, partner: Partner) -> IssuedKey:
    prefix = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey.objects.create(partner=partner, prefix=prefix, key_hash=hash_key(key))
    return IssuedKey(key=key, api_key=api_key)


def _clean_scopes(scopes: Iterable[str]) -> list[str]:
    scopes = sorted(set(scopes))
    unknown = [s for s in scopes if s not in Scope.values]
    if unknown:
        raise ValidationFailed(
            f"Unknown scopes: {', '.join(unknown)}.", code="invalid_scope", extra={"field": "scopes"}
        )
    return scopes


def partner_create(
    *,
    name: str,
    slug: str,
    scopes: Iterable[str] = tuple(Scope.values),
    property_ids: Iterable[int] = (),
    all_properties: bool = False,
    rate_limit_per_minute: int | None = None,
) -> IssuedKey:
    """A new partner and its first key (returned once)."""
    if Partner.objects.filter(slug=slug).exists():
        raise ValidationFailed("A partner with this slug exists.", code="duplicate", extra={"field": "slug"})
    with transaction.atomic():
        partner = Partner.objects.create(
            name=name.strip(),
            slug=slug,
            scopes=_clean_scopes(scopes),
            property_ids=sorted({int(p) for p in property_ids}),
            all_properties=all_properties,
            rate_limit_per_minute=rate_limit_per_minute,
        )
        return api_key_issue(partner=partner)


def api_key_rotate(*, partner: Partner, overlap_hours: int | None = None) -> IssuedKey:
    """A new key; the current ones keep working for the overlap (default API_KEY_ROTATION_OVERLAP_HOURS), then lapse."""
    hours = settings.API_KEY_ROTATION_OVERLAP_HOURS if overlap_hours is None else overlap_hours
    if hours < 0:
        raise ValidationFailed("Overlap cannot be negative.", code="invalid", extra={"field": "overlap_hours"})
    ends = timezone.now() + timedelta(hours=hours)
    with transaction.atomic():
        live = ApiKey.objects.filter(partner=partner, revoked_at__isnull=True)
        live.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=ends)).update(expires_at=ends)
        return api_key_issue(partner=partner)


def api_key_revoke(*, api_key: ApiKey) -> None:
    ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_key_authenticate(*, key: str) -> Partner | None:
    """The active partner whose live key this is, or None (same answer for every kind of wrong key)."""
    if not key.startswith(KEY_PREFIX) or key.count("_") < 2 or len(key) > 200:
        return None
    prefix = key[len(KEY_PREFIX) :].split("_", 1)[0]
    api_key = ApiKey.objects.select_related("partner").filter(prefix=prefix).first()
    if api_key is None or not hmac.compare_digest(api_key.key_hash, hash_key(key)):
        return None
    now = timezone.now()
    if api_key.revoked_at is not None or (api_key.expires_at is not None and api_key.expires_at <= now):
        return None
    return api_key.partner if api_key.partner.is_active else None
