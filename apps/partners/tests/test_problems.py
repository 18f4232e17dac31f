"""Every error is problem+json with a stable code; validation names the fields; no input is a 500."""

from __future__ import annotations

import pytest

from apps.partners.tests.conftest import idem
from apps.partners.tests.helpers import stay_body

pytestmark = pytest.mark.django_db


def _problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["code"], body["type"]) == (status, code, f"urn:problem:{code}")
    return body


def test_unknown_path_is_404_problem(partner) -> None:
    _problem(partner.client.get("/api/v1/nothing-here/"), 404, "not_found")


def test_wrong_method_is_405(partner) -> None:
    _problem(partner.client.put("/api/v1/properties/"), 405, "method_not_allowed")


def test_malformed_json_is_400(partner) -> None:
    response = partner.client.post("/api/v1/holds/", "{not json", content_type="application/json", **idem())
    _problem(response, 400, "malformed_request")


def test_wrong_media_type_is_415(partner) -> None:
    response = partner.client.post("/api/v1/holds/", "a=b", content_type="text/plain", **idem())
    _problem(response, 415, "unsupported_media_type")


def test_validation_names_every_field(partner, hotel) -> None:
    body = stay_body(hotel)
    body["rooms"][0]["adults"] = 0
    body["guest"]["email"] = "not-an-email"
    body["check_in"] = "someday"
    body["surprise"] = 1
    problem = _problem(partner.client.post("/api/v1/holds/", body, format="json", **idem()), 400, "invalid")
    assert sorted(e["field"] for e in problem["errors"]) == ["surprise"]
    del body["surprise"]
    problem = _problem(partner.client.post("/api/v1/holds/", body, format="json", **idem()), 400, "invalid")
    assert sorted(e["field"] for e in problem["errors"]) == ["check_in", "guest.email", "rooms.0.adults"]


def test_domain_refusal_names_its_field(partner, hotel) -> None:
    body = stay_body(hotel, check_in="2030-03-12", check_out="2030-03-10")
    response = partner.client.post("/api/v1/holds/", body, format="json", **idem())
    problem = _problem(response, 400, "check_out_not_after_check_in")
    assert problem["errors"] == [
        {"field": "check_out", "code": "check_out_not_after_check_in", "message": "Check-out must be after check-in."}
    ]


def test_sold_out_is_409_not_available(partner, hotel) -> None:
    body = stay_body(hotel, rooms=7)
    problem = _problem(partner.client.post("/api/v1/holds/", body, format="json", **idem()), 409, "not_available")
    assert problem["extra"]["nights"] == ["2030-03-10", "2030-03-11"]


@pytest.mark.parametrize(
    "query",
    ["", "property=x", "property=nope&check_in=2030-03-10&check_out=2030-03-12", "check_in=bad&property=a"],
)
def test_bad_search_queries_are_4xx(partner, query) -> None:
    response = partner.client.get(f"/api/v1/availability/?{query}")
    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("cursor", "code"), [("garbage", "invalid_cursor"), ("djE6LTE", "invalid_cursor"), ("%00", "invalid")]
)
def test_bad_cursor_is_a_field_error(partner, cursor, code) -> None:
    body = _problem(partner.client.get(f"/api/v1/bookings/?cursor={cursor}"), 400, code)
    assert body["errors"][0]["field"] == "cursor"


def test_huge_webhook_id_is_404(partner) -> None:
    _problem(partner.client.get(f"/api/v1/webhooks/{2**70}/"), 404, "webhook_not_found")
