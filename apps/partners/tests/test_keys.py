"""Keys: shown once, stored hashed, prefixed; rotation keeps the old key for the overlap; commands and admin."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from rest_framework.test import APIClient

from apps.availability import interface as availability
from apps.partners.keys import api_key_revoke, hash_key
from apps.partners.models import ApiKey, Partner

pytestmark = pytest.mark.django_db


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def test_create_partner_prints_a_key_that_works_and_is_stored_hashed(hotel) -> None:
    slug = availability.get_property(hotel.property_id).slug
    out = StringIO()
    call_command("create_partner", "Acme Travel", "acme", "--properties", slug, "--rate-limit", "100", stdout=out)
    key = out.getvalue().strip()
    assert key.startswith("bpk_")
    partner = Partner.objects.get(slug="acme")
    assert (partner.property_ids, partner.rate_limit_per_minute) == ([hotel.property_id], 100)
    stored = ApiKey.objects.get(partner=partner)
    assert stored.key_hash == hash_key(key)
    assert key not in (stored.key_hash, stored.prefix)
    assert key.startswith(f"bpk_{stored.prefix}_")
    assert _client(key).get("/api/v1/properties/").status_code == 200


def test_create_partner_refuses_unknown_properties_and_scopes(db) -> None:
    with pytest.raises(CommandError, match="Unknown properties: nowhere"):
        call_command("create_partner", "X", "x", "--properties", "nowhere", stdout=StringIO())
    with pytest.raises(CommandError, match="Unknown scopes: admin"):
        call_command("create_partner", "X", "x", "--scopes", "admin", stdout=StringIO())
    assert Partner.objects.count() == 0


def test_rotation_keeps_the_old_key_for_the_overlap_only(hotel) -> None:
    out = StringIO()
    call_command("create_partner", "Acme", "acme", "--all-properties", stdout=out)
    old = out.getvalue().strip()
    out = StringIO()
    call_command("rotate_partner_key", "acme", "--overlap-hours", "2", stdout=out)
    new = out.getvalue().strip()
    assert new != old
    assert _client(old).get("/api/v1/properties/").status_code == 200
    assert _client(new).get("/api/v1/properties/").status_code == 200
    ApiKey.objects.filter(key_hash=hash_key(old)).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _client(old).get("/api/v1/properties/").status_code == 401
    assert _client(new).get("/api/v1/properties/").status_code == 200
    api_key_revoke(api_key=ApiKey.objects.get(key_hash=hash_key(new)))
    assert _client(new).get("/api/v1/properties/").status_code == 401


def test_an_inactive_partner_is_refused(partner) -> None:
    Partner.objects.filter(pk=partner.partner.pk).update(is_active=False)
    assert partner.client.get("/api/v1/properties/").status_code == 401


def test_admin_shows_a_new_key_once_and_rotates(admin_client, hotel) -> None:
    response = admin_client.post(
        "/admin/partners/partner/add/",
        {
            "name": "Web Beds",
            "slug": "web-beds",
            "is_active": "on",
            "scopes": '["availability:read"]',
            "property_ids": f"[{hotel.property_id}]",
            "api_keys-TOTAL_FORMS": "0",
            "api_keys-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert any("bpk_" in m for m in shown), shown
    key = next(m for m in shown if "bpk_" in m).rsplit(" ", 1)[-1]
    assert _client(key).get("/api/v1/properties/").status_code == 200
    partner = Partner.objects.get(slug="web-beds")
    rotated = admin_client.post(
        "/admin/partners/partner/", {"action": "rotate_key", "_selected_action": [partner.pk]}, follow=True
    )
    assert any("New API key" in str(m) for m in rotated.context["messages"])
    assert ApiKey.objects.filter(partner=partner).count() == 2


@pytest.mark.parametrize(
    ("scopes", "property_ids", "field"),
    [('["admin"]', "[]", "scopes"), ('"bookings:read"', "[]", "scopes"), ("[]", '["one"]', "property_ids")],
)
def test_admin_refuses_unknown_scopes_and_bad_property_ids(admin_client, db, scopes, property_ids, field) -> None:
    response = admin_client.post(
        "/admin/partners/partner/add/",
        {
            "name": "Bad",
            "slug": "bad",
            "scopes": scopes,
            "property_ids": property_ids,
            "api_keys-TOTAL_FORMS": "0",
            "api_keys-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert Partner.objects.count() == 0
    assert ApiKey.objects.count() == 0
