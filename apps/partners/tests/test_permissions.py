"""Every endpoint, four callers: the owner with the scope, a key without it, another partner, nobody.

Others' objects answer 404 exactly like missing ones; a wrong scope is 403 insufficient_scope; no key
is 401 with WWW-Authenticate; and no refused call changes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from apps.availability import interface as availability
from apps.bookings import interface as bookings
from apps.partners.models import Scope, Webhook
from apps.partners.tests.conftest import idem
from apps.partners.tests.factories import make_partner
from apps.partners.tests.helpers import stay_body

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Call:
    method: str
    path: str  # may name {ref} (a booking of the owner), {hold} (a hold of the owner), {hook}, {slug}
    scope: str
    ok: int
    owned: bool = False  # the path names the owner's object: another partner gets 404
    body: Any = None


CALLS = [
    Call("get", "/api/v1/properties/", Scope.AVAILABILITY_READ, 200),
    Call("get", "/api/v1/properties/{slug}/", Scope.AVAILABILITY_READ, 200),
    Call(
        "get",
        "/api/v1/availability/?property={slug}&check_in=2030-03-10&check_out=2030-03-12",
        Scope.AVAILABILITY_READ,
        200,
    ),
    Call("post", "/api/v1/holds/", Scope.BOOKINGS_WRITE, 201, body="stay"),
    Call("get", "/api/v1/holds/{hold}/", Scope.BOOKINGS_READ, 200, owned=True),
    Call("delete", "/api/v1/holds/{hold}/", Scope.BOOKINGS_WRITE, 200, owned=True),
    Call("get", "/api/v1/bookings/", Scope.BOOKINGS_READ, 200),
    Call("post", "/api/v1/bookings/", Scope.BOOKINGS_WRITE, 201, body="stay"),
    Call("post", "/api/v1/bookings/", Scope.BOOKINGS_WRITE, 201, owned=True, body="hold"),
    Call("get", "/api/v1/bookings/{ref}/", Scope.BOOKINGS_READ, 200, owned=True),
    Call("get", "/api/v1/bookings/{ref}/cancellation/", Scope.BOOKINGS_READ, 200, owned=True),
    Call("post", "/api/v1/bookings/{ref}/cancel/", Scope.BOOKINGS_WRITE, 200, owned=True, body={}),
    Call("post", "/api/v1/bookings/{ref}/modify/", Scope.BOOKINGS_WRITE, 200, owned=True, body="modify"),
    Call("get", "/api/v1/events/", Scope.BOOKINGS_READ, 200),
    Call("get", "/api/v1/webhooks/", Scope.WEBHOOKS_MANAGE, 200),
    Call("post", "/api/v1/webhooks/", Scope.WEBHOOKS_MANAGE, 201, body={"url": "https://example.com/hook"}),
    Call("get", "/api/v1/webhooks/{hook}/", Scope.WEBHOOKS_MANAGE, 200, owned=True),
    Call("delete", "/api/v1/webhooks/{hook}/", Scope.WEBHOOKS_MANAGE, 204, owned=True),
    Call("get", "/api/v1/webhooks/{hook}/deliveries/", Scope.WEBHOOKS_MANAGE, 200, owned=True),
]


@pytest.fixture
def world(hotel, partner, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True  # example.com need not resolve to a public address here
    booked = partner.client.post("/api/v1/bookings/", stay_body(hotel), format="json", **idem())
    held = partner.client.post("/api/v1/holds/", stay_body(hotel), format="json", **idem())
    hook = Webhook.objects.create(partner=partner.partner, url="https://example.com/h", secret="s" * 64)
    assert (booked.status_code, held.status_code) == (201, 201)
    return {
        "ref": booked.json()["reference"],
        "hold": held.json()["reference"],
        "hook": hook.pk,
        "slug": availability.get_property(hotel.property_id).slug,
        "version": booked.json()["version"],
    }


def _send(client: APIClient, call: Call, world: dict[str, Any], hotel) -> Any:
    path = call.path.format(**world)
    body = call.body
    if body == "stay":
        body = stay_body(hotel)
    elif body == "hold":
        body = {"hold": world["hold"]}
    elif body == "modify":
        body = {"expected_version": world["version"], "check_out": "2030-03-13"}
    kwargs: dict[str, Any] = {"format": "json", **idem()} if call.method == "post" else {}
    if body is not None:
        kwargs["data"] = body
    return getattr(client, call.method)(path, **kwargs)


def _state(partner) -> tuple:
    listed = bookings.list_bookings(actor=bookings.Actor.system(), filters=bookings.BookingFilter(), limit=200)
    return (
        sorted((b.reference, b.status, b.version) for b in listed),
        sorted(Webhook.objects.values_list("pk", "url")),
    )


@pytest.mark.parametrize("call", CALLS, ids=lambda c: f"{c.method} {c.path}")
def test_allowed(call, world, hotel, partner) -> None:
    response = _send(partner.client, call, world, hotel)
    assert response.status_code == call.ok, response.content


@pytest.mark.parametrize("call", CALLS, ids=lambda c: f"{c.method} {c.path}")
def test_wrong_scope(call, world, hotel) -> None:
    others = [s for s in Scope.values if s != call.scope]
    narrow = make_partner(slug="narrow", property_ids=[hotel.property_id], scopes=others)
    before = _state(narrow)
    response = _send(narrow.client, call, world, hotel)
    assert response.status_code == 403, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert (response.json()["code"], response.json()["extra"]) == ("insufficient_scope", {"scope": call.scope})
    assert _state(narrow) == before


@pytest.mark.parametrize("call", [c for c in CALLS if c.owned], ids=lambda c: f"{c.method} {c.path}")
def test_other_partner_gets_404(call, world, hotel, other_partner) -> None:
    before = _state(other_partner)
    response = _send(other_partner.client, call, world, hotel)
    assert response.status_code == 404, response.content
    assert response.json()["code"] in {"booking_not_found", "webhook_not_found"}
    assert _state(other_partner) == before


def test_other_partner_lists_and_feed_are_empty(world, other_partner) -> None:
    assert other_partner.client.get("/api/v1/bookings/").json() == {"results": [], "next_cursor": None}
    assert other_partner.client.get("/api/v1/events/").json() == {"results": [], "next_cursor": None}
    assert other_partner.client.get("/api/v1/webhooks/").json() == {"results": []}


def _refused_401(client: APIClient, call: Call, world, hotel, partner) -> None:
    before = _state(partner)
    response = _send(client, call, world, hotel)
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["code"] in {"not_authenticated", "authentication_failed"}
    assert _state(partner) == before


@pytest.mark.parametrize("call", CALLS, ids=lambda c: f"{c.method} {c.path}")
def test_unauthenticated(call, world, hotel, partner) -> None:
    _refused_401(APIClient(), call, world, hotel, partner)


@pytest.mark.parametrize("header", ["Api-Key bpk_wrong_key", "Bearer something", "Api-Key ", "Api-Key bpk_x_y"])
def test_bad_credentials(header, world, hotel, partner) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    for call in (CALLS[0], CALLS[3]):
        _refused_401(client, call, world, hotel, partner)


def test_a_property_the_partner_may_not_sell_is_not_found(world, hotel) -> None:
    outsider = make_partner(slug="outsider", property_ids=[])
    response = outsider.client.post("/api/v1/holds/", stay_body(hotel), format="json", **idem())
    assert response.status_code == 404
    assert (response.json()["code"], response.json()["errors"][0]["field"]) == ("property_not_found", "property")
    search = outsider.client.get(
        f"/api/v1/availability/?property={world['slug']}&check_in=2030-03-10&check_out=2030-03-12"
    )
    assert search.status_code == 404
