"""Idempotency-Key on every POST: replay for 24 h, 422 on another body, 409 while the first runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.bookings import interface as bookings
from apps.partners.tests.helpers import stay_body
from booking_platform.api.models import IdempotencyRecord

pytestmark = pytest.mark.django_db


def _count() -> int:
    return len(bookings.list_bookings(actor=bookings.Actor.system(), filters=bookings.BookingFilter(), limit=200))


def test_a_retry_replays_the_first_answer_and_books_once(partner, hotel) -> None:
    body = stay_body(hotel)
    first = partner.client.post("/api/v1/bookings/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = partner.client.post("/api/v1/bookings/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert _count() == 1


def test_a_retried_hold_is_one_hold(partner, hotel) -> None:
    body = stay_body(hotel)
    answers = [partner.client.post("/api/v1/holds/", body, format="json", HTTP_IDEMPOTENCY_KEY="h-1") for _ in range(3)]
    assert {a.json()["reference"] for a in answers} == {answers[0].json()["reference"]}
    assert _count() == 1


def test_the_same_key_with_another_body_is_422_and_changes_nothing(partner, hotel) -> None:
    partner.client.post("/api/v1/holds/", stay_body(hotel), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    other = partner.client.post("/api/v1/holds/", stay_body(hotel, nights=3), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert other.status_code == 422
    assert other["Content-Type"] == "application/problem+json"
    assert other.json()["code"] == "idempotency_key_reused"
    assert _count() == 1


def test_the_same_key_on_another_path_is_422(partner, hotel) -> None:
    partner.client.post("/api/v1/holds/", stay_body(hotel), format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    other = partner.client.post("/api/v1/bookings/", stay_body(hotel), format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    assert _count() == 1


def test_while_the_first_is_in_flight_a_retry_is_409(partner, hotel) -> None:
    now = timezone.now()
    IdempotencyRecord.objects.create(
        owner=f"partner:{partner.partner.pk}",
        idempotency_key="k-4",
        fingerprint="x" * 64,
        locked_at=now,
        created_at=now,
    )
    from booking_platform.api.idempotency import fingerprint

    body = stay_body(hotel)
    import json

    IdempotencyRecord.objects.filter(idempotency_key="k-4").update(
        fingerprint=fingerprint(method="POST", path="/api/v1/holds/", body=json.dumps(body).encode())
    )
    response = partner.client.post(
        "/api/v1/holds/", json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-4"
    )
    assert (response.status_code, response.json()["code"]) == (409, "idempotency_in_flight")
    assert _count() == 0


def test_a_claim_whose_attempt_died_is_taken_over(partner, hotel, settings) -> None:
    import json

    from booking_platform.api.idempotency import fingerprint

    body = json.dumps(stay_body(hotel))
    stale = timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_LOCK_SECONDS + 1)
    IdempotencyRecord.objects.create(
        owner=f"partner:{partner.partner.pk}",
        idempotency_key="k-5",
        fingerprint=fingerprint(method="POST", path="/api/v1/holds/", body=body.encode()),
        locked_at=stale,
        created_at=stale,
    )
    response = partner.client.post("/api/v1/holds/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-5")
    assert response.status_code == 201
    assert IdempotencyRecord.objects.get(idempotency_key="k-5").state == "done"


def test_after_24_hours_the_key_is_fresh_again(partner, hotel) -> None:
    body = stay_body(hotel)
    partner.client.post("/api/v1/holds/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-6")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=24, seconds=1))
    again = partner.client.post("/api/v1/holds/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-6")
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert _count() == 2


def test_a_refusal_is_not_stored_so_the_key_can_be_retried(partner, hotel) -> None:
    bad = stay_body(hotel, check_out="2030-03-09")
    refused = partner.client.post("/api/v1/holds/", bad, format="json", HTTP_IDEMPOTENCY_KEY="k-7")
    assert refused.status_code == 400
    assert IdempotencyRecord.objects.filter(idempotency_key="k-7").count() == 0
    assert _count() == 0


def test_keys_are_per_partner(partner, other_partner, hotel) -> None:
    body = stay_body(hotel)
    mine = partner.client.post("/api/v1/holds/", body, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    theirs = other_partner.client.post("/api/v1/holds/", body, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["reference"] != theirs.json()["reference"]


@pytest.mark.parametrize("key", [None, "", "x" * 256, "spaces are not allowed", "naïve"])
def test_every_post_needs_a_clean_key(partner, hotel, key) -> None:
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    response = partner.client.post("/api/v1/holds/", stay_body(hotel), format="json", **headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert _count() == 0


def test_purge_drops_only_expired_records(partner, hotel) -> None:
    from booking_platform.api.idempotency import purge_expired

    partner.client.post("/api/v1/holds/", stay_body(hotel), format="json", HTTP_IDEMPOTENCY_KEY="old")
    partner.client.post("/api/v1/holds/", stay_body(hotel), format="json", HTTP_IDEMPOTENCY_KEY="new")
    IdempotencyRecord.objects.filter(idempotency_key="old").update(created_at=timezone.now() - timedelta(days=2))
    assert purge_expired() == 1
    assert list(IdempotencyRecord.objects.values_list("idempotency_key", flat=True)) == ["new"]
