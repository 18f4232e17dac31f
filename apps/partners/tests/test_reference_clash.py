"""A direct booking whose random reference clashes: the idempotent request runs again, once, and answers 201."""

from __future__ import annotations

import pytest

from apps.partners.tests.conftest import idem
from apps.partners.tests.helpers import stay_body
from booking_platform.api.models import IdempotencyRecord

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_whole_request_is_re_run_with_a_fresh_reference(partner, hotel, monkeypatch) -> None:
    first = partner.client.post("/api/v1/bookings/", stay_body(hotel), format="json", **idem()).json()
    drawn = iter([first["reference"], "NEW-REF-2345"])
    monkeypatch.setattr("apps.bookings.services.hold.new_reference", lambda: next(drawn))
    headers = idem()
    response = partner.client.post(
        "/api/v1/bookings/", stay_body(hotel, partner_reference="B"), format="json", **headers
    )
    assert (response.status_code, response.json()["reference"]) == (201, "NEW-REF-2345")
    listed = partner.client.get("/api/v1/bookings/").json()["results"]
    assert sorted(b["reference"] for b in listed) == sorted([first["reference"], "NEW-REF-2345"])
    record = IdempotencyRecord.objects.get(idempotency_key=headers["HTTP_IDEMPOTENCY_KEY"])
    assert (record.state, record.response_body["reference"]) == ("done", "NEW-REF-2345")
