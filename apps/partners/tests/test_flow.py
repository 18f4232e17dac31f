"""The partner journey end to end: search, hold, book, read, cancel, with exact answers."""

from __future__ import annotations

import pytest

from apps.availability import interface as availability
from apps.availability.tests.factories import PropertyFactory
from apps.bookings import interface as bookings
from apps.partners.tests.conftest import idem
from apps.partners.tests.helpers import ARRIVAL, stay_body

pytestmark = pytest.mark.django_db


def test_properties_list_only_what_the_partner_may_sell(partner, hotel) -> None:
    PropertyFactory(slug="not-for-acme")
    response = partner.client.get("/api/v1/properties/")
    assert response.status_code == 200
    slug = availability.get_property(hotel.property_id).slug
    assert [p["slug"] for p in response.json()["results"]] == [slug]
    detail = partner.client.get(f"/api/v1/properties/{slug}/").json()
    assert [rt["name"] for rt in detail["room_types"]] == ["Double", "Suite"]
    assert len(detail["rate_plans"]) == 2
    hidden = partner.client.get("/api/v1/properties/not-for-acme/")
    assert hidden.status_code == 404
    assert hidden["Content-Type"] == "application/problem+json"
    assert hidden.json()["code"] == "property_not_found"


def test_availability_offers(partner, hotel) -> None:
    slug = availability.get_property(hotel.property_id).slug
    response = partner.client.get(
        "/api/v1/availability/",
        {"property": slug, "check_in": "2030-03-10", "check_out": "2030-03-12", "adults": 2},
    )
    assert response.status_code == 200, response.json()
    offers = response.json()["offers"]
    first = next(
        o for o in offers if o["room_type"]["id"] == hotel.room_type_id and o["rate_plan_id"] == hotel.rate_plan_id
    )
    assert first["bookable"] is True
    assert first["nightly"] == [{"night": "2030-03-10", "price": "100.00"}, {"night": "2030-03-11", "price": "100.00"}]
    assert first["total"] == "200.00"


def test_hold_then_book_then_cancel(partner, hotel) -> None:
    held = partner.client.post("/api/v1/holds/", stay_body(hotel), format="json", **idem())
    assert held.status_code == 201, held.json()
    hold = held.json()
    assert (hold["status"], hold["partner_reference"], hold["total"]) == ("held", "ACME-1", "200.00")
    assert hold["expires_at"] is not None
    booked = partner.client.post("/api/v1/bookings/", {"hold": hold["reference"]}, format="json", **idem())
    assert booked.status_code == 201, booked.json()
    assert (booked.json()["reference"], booked.json()["status"]) == (hold["reference"], "confirmed")
    row = bookings.find_booking(hold["reference"])
    assert (row.partner_id, row.channel, row.partner_reference) == (partner.partner.pk, "partner", "ACME-1")
    listed = partner.client.get("/api/v1/bookings/").json()
    assert [b["reference"] for b in listed["results"]] == [hold["reference"]]
    quote = partner.client.get(f"/api/v1/bookings/{hold['reference']}/cancellation/").json()
    assert quote == {"reference": hold["reference"], "cancellation_fee": "0.00", "currency": "EUR"}
    cancelled = partner.client.post(f"/api/v1/bookings/{hold['reference']}/cancel/", {}, format="json", **idem())
    assert cancelled.status_code == 200, cancelled.json()
    assert cancelled.json()["status"] == "cancelled"
    assert ARRIVAL.isoformat() == cancelled.json()["check_in"]


def test_availability_takes_the_same_queries_for_any_stay_length(partner, hotel) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    slug = availability.get_property(hotel.property_id).slug
    counts = []
    # The first search reads the hotel's catalogue into the process's copy; the next two use it.
    for check_out in ("2030-03-11", "2030-03-12", "2030-03-17"):
        with CaptureQueriesContext(connection) as queries:
            response = partner.client.get(
                "/api/v1/availability/", {"property": slug, "check_in": "2030-03-10", "check_out": check_out}
            )
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] + 3
    assert counts[1] == counts[2]
