"""SQL per direct booking through the API (auth, idempotency, customer, price, inventory, booking,
audit, outbox): at most 15 statements, the same for one night or a week, one room or three.
Counts are deterministic, unlike times (bench/ measures those; bench/NOTES.md says where they go).
"""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.partners.tests.helpers import stay_body

pytestmark = pytest.mark.django_db
TARGET = 15  # issue 13; bench/NOTES.md records where the statements go
EXPECTED = 14  # exact, so a statement added by accident shows here first
PLUMBING = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN", "COMMIT")
_refs = itertools.count(1)


def _statements(partner, hotel, *, nights: int, rooms: int) -> list[str]:
    """SQL of one direct booking, without transaction plumbing (tests run inside a transaction)."""
    n = next(_refs)
    body = stay_body(hotel, nights=nights, rooms=rooms, partner_reference=f"QC-{n}")
    with CaptureQueriesContext(connection) as ctx:
        response = partner.client.post("/api/v1/bookings/", body, format="json", HTTP_IDEMPOTENCY_KEY=f"qc-{n}")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "confirmed"
    return [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(PLUMBING)]


def test_direct_booking_statements_do_not_grow_with_nights(partner, hotel) -> None:
    _statements(partner, hotel, nights=1, rooms=1)  # warm the process (as a serving pod is)
    one_night = len(_statements(partner, hotel, nights=1, rooms=1))
    week = len(_statements(partner, hotel, nights=7, rooms=1))
    assert week == one_night


def test_direct_booking_statements_do_not_grow_with_rooms(partner, hotel) -> None:
    _statements(partner, hotel, nights=1, rooms=1)
    assert len(_statements(partner, hotel, nights=2, rooms=3)) == len(_statements(partner, hotel, nights=2, rooms=1))


def test_direct_booking_within_target(partner, hotel) -> None:
    _statements(partner, hotel, nights=1, rooms=1)
    statements = _statements(partner, hotel, nights=2, rooms=1)
    assert len(statements) == EXPECTED <= TARGET, "\n".join(statements)
