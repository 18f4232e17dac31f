"""GET /api/v1/events/: the partner's booking events in order, replayable from any cursor."""

from __future__ import annotations

import pytest

from apps.partners.tests.conftest import idem
from apps.partners.tests.helpers import stay_body

pytestmark = pytest.mark.django_db


def test_the_feed_lists_own_events_in_order_and_replays(
    partner, other_partner, hotel, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the relay and the feed consumer run after commit
        held = partner.client.post("/api/v1/holds/", stay_body(hotel), format="json", **idem()).json()
        booked = partner.client.post("/api/v1/bookings/", {"hold": held["reference"]}, format="json", **idem()).json()
        other_partner.client.post("/api/v1/bookings/", stay_body(hotel), format="json", **idem())
        partner.client.post(f"/api/v1/bookings/{booked['reference']}/cancel/", {}, format="json", **idem())
    page = partner.client.get("/api/v1/events/?limit=2").json()
    assert [(e["event_type"], e["booking_reference"]) for e in page["results"]] == [
        ("booking.held", booked["reference"]),
        ("booking.confirmed", booked["reference"]),
    ]
    rest = partner.client.get(f"/api/v1/events/?after={page['next_cursor']}").json()
    assert [e["event_type"] for e in rest["results"]] == ["booking.cancelled"]
    assert rest["results"][0]["payload"]["cancellation_fee"] == "0.00"
    # Replaying from an earlier cursor gives exactly the same events again.
    again = partner.client.get(f"/api/v1/events/?after={page['results'][0]['cursor']}").json()
    assert [e["event_id"] for e in again["results"]] == [page["results"][1]["event_id"], rest["results"][0]["event_id"]]
    # At the end, the cursor stays where it was so polling can go on.
    tail = partner.client.get(f"/api/v1/events/?after={rest['next_cursor']}").json()
    assert tail == {"results": [], "next_cursor": rest["next_cursor"]}


def test_bookings_list_filters_and_pages(partner, hotel) -> None:
    refs = [
        partner.client.post(
            "/api/v1/bookings/", stay_body(hotel, partner_reference=f"R{i}"), format="json", **idem()
        ).json()["reference"]
        for i in range(3)
    ]
    partner.client.post(f"/api/v1/bookings/{refs[0]}/cancel/", {}, format="json", **idem())
    first = partner.client.get("/api/v1/bookings/?limit=2").json()
    assert [b["reference"] for b in first["results"]] == [refs[2], refs[1]]
    second = partner.client.get(f"/api/v1/bookings/?limit=2&cursor={first['next_cursor']}").json()
    assert ([b["reference"] for b in second["results"]], second["next_cursor"]) == ([refs[0]], None)
    cancelled = partner.client.get("/api/v1/bookings/?status=cancelled").json()
    assert [b["reference"] for b in cancelled["results"]] == [refs[0]]
    later = partner.client.get("/api/v1/bookings/?check_in_from=2030-03-11").json()
    assert later["results"] == []


def test_lists_take_a_constant_number_of_queries(partner, hotel, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            partner.client.post("/api/v1/bookings/", stay_body(hotel), format="json", **idem())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        partner.client.get("/api/v1/bookings/")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            partner.client.post("/api/v1/bookings/", stay_body(hotel, rooms=1), format="json", **idem())
    with CaptureQueriesContext(connection) as six:
        partner.client.get("/api/v1/bookings/")
    assert len(six) == len(two)
    with CaptureQueriesContext(connection) as feed_small:
        small = partner.client.get("/api/v1/events/?limit=2").json()
    with CaptureQueriesContext(connection) as feed_big:
        big = partner.client.get("/api/v1/events/?limit=6").json()
    assert (len(small["results"]), len(big["results"])) == (2, 6)
    assert len(feed_big) == len(feed_small)
