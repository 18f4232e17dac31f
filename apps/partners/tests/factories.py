"""Partners test data: a partner with a live key, and a signed-in API client."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rest_framework.test import APIClient

from apps.partners.keys import partner_create
from apps.partners.models import Partner, Scope


@dataclass
class PartnerClient:
    partner: Partner
    key: str
    client: APIClient


def make_partner(
    *,
    slug: str,
    property_ids: Iterable[int] = (),
    scopes: Iterable[str] = tuple(Scope.values),
    rate_limit_per_minute: int | None = None,
) -> PartnerClient:
    issued = partner_create(
        name=slug.title(),
        slug=slug,
        scopes=scopes,
        property_ids=property_ids,
        rate_limit_per_minute=rate_limit_per_minute,
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {issued.key}")
    return PartnerClient(partner=issued.api_key.partner, key=issued.key, client=client)
