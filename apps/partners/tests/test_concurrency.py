"""PostgreSQL races through the HTTP layer: retries of one key, and partners racing for the last room."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection

from apps.bookings import interface as bookings
from apps.bookings.tests.factories import make_hotel
from apps.partners.tests.factories import make_partner
from apps.partners.tests.helpers import ARRIVAL, stay_body

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Start every call at one barrier, each on its own connection (closed afterwards)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int) -> None:
        try:
            connection.ensure_connection()  # take a pooled connection before the race, not during it
            barrier.wait(timeout=30)
            results[index] = calls[index]()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _all_bookings() -> list[bookings.BookingInfo]:
    return bookings.list_bookings(actor=bookings.Actor.system(), filters=bookings.BookingFilter(), limit=200)


def test_twenty_concurrent_retries_of_one_key_make_one_booking(require_postgres: None) -> None:
    hotel = make_hotel(start=ARRIVAL - timedelta(days=2), sellable=5)
    acme = make_partner(slug="acme", property_ids=[hotel.property_id])
    body = stay_body(hotel)
    answers = run_together(
        [
            lambda: acme.client.post("/api/v1/bookings/", body, format="json", HTTP_IDEMPOTENCY_KEY="one-key")
            for _ in range(20)
        ]
    )
    made = _all_bookings()
    assert len(made) == 1
    created = [a for a in answers if a.status_code == 201]
    waiting = [a for a in answers if a.status_code == 409]
    assert len(created) + len(waiting) == 20, [a.status_code for a in answers]
    assert created, "at least the first attempt answers 201"
    assert {a.json()["reference"] for a in created} == {made[0].reference}
    assert all(a.json() == created[0].json() for a in created)
    assert {a.json()["code"] for a in waiting} <= {"idempotency_in_flight"}
    # Once the first has finished, every retry gets the same booking back.
    replay = acme.client.post("/api/v1/bookings/", body, format="json", HTTP_IDEMPOTENCY_KEY="one-key")
    assert (replay.status_code, replay.json()) == (201, created[0].json())


def test_thirty_partners_race_for_the_last_room(require_postgres: None) -> None:
    hotel = make_hotel(start=ARRIVAL - timedelta(days=2), sellable=1)
    partners = [make_partner(slug=f"p{i}", property_ids=[hotel.property_id]) for i in range(30)]
    body = stay_body(hotel)
    answers = run_together(
        [
            lambda p=p: p.client.post("/api/v1/bookings/", body, format="json", HTTP_IDEMPOTENCY_KEY="race")
            for p in partners
        ]
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] + [409] * 29, statuses
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"not_available"}
    assert all(a["Content-Type"] == "application/problem+json" for a in answers if a.status_code == 409)
    made = _all_bookings()
    assert len(made) == 1
    winner = next(a for a in answers if a.status_code == 201).json()
    assert made[0].reference == winner["reference"]
