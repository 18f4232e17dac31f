"""Feed entries and finished webhook deliveries past EVENTS_RETENTION_DAYS go; everything else stays."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.partners.models import FeedEntry, Webhook, WebhookDelivery
from apps.partners.retention import Purged, partners_purge
from apps.partners.tasks import purge
from apps.partners.tests.factories import PartnerClient, make_partner
from booking_platform.api.pagination import encode_cursor

pytestmark = pytest.mark.django_db
State = WebhookDelivery.State


def _feed(acme: PartnerClient, ages_in_days: list[int]) -> None:
    now = timezone.now()
    for seq, age in enumerate(ages_in_days, start=1):
        FeedEntry.objects.create(
            partner=acme.partner, seq=seq, outbox_id=seq, event_id=uuid.uuid4(), event_type="booking.confirmed",
            booking_reference=f"REF-{seq}", payload={"reference": f"REF-{seq}"}, occurred_at=now - timedelta(days=age),
        )  # fmt: skip


def _deliveries(acme: PartnerClient, rows: list[tuple[str, int]]) -> None:
    hook = Webhook.objects.create(partner=acme.partner, url="https://hooks.example/acme", secret="s" * 32)
    now = timezone.now()
    for state, age in rows:
        WebhookDelivery.objects.create(
            webhook=hook, event_id=uuid.uuid4(), event_type="booking.confirmed", payload={}, state=state,
            created_at=now - timedelta(days=age),
        )  # fmt: skip


def _cursor_page(acme: PartnerClient, after: int) -> list[str]:
    response = acme.client.get("/api/v1/events/", {"after": encode_cursor(after)})
    assert response.status_code == 200, response.content
    return [event["booking_reference"] for event in response.json()["results"]]


def test_old_feed_entries_go_and_a_stale_cursor_reads_on_from_the_oldest_kept() -> None:
    acme = make_partner(slug="acme")
    _feed(acme, [500, 450, 401, 399, 10, 0])
    assert partners_purge(older_than=timedelta(days=400)) == Purged(feed_entries=3, webhook_deliveries=0)
    assert list(FeedEntry.objects.order_by("seq").values_list("seq", flat=True)) == [4, 5, 6]
    assert _cursor_page(acme, after=1) == ["REF-4", "REF-5", "REF-6"]
    assert partners_purge(older_than=timedelta(days=400)) == Purged(0, 0)  # nothing left to do


def test_finished_deliveries_go_and_pending_ones_stay_whatever_their_age() -> None:
    acme = make_partner(slug="acme")
    _deliveries(acme, [(State.DELIVERED, 500), (State.FAILED, 450), (State.PENDING, 420), (State.DELIVERED, 30)])
    assert partners_purge(older_than=timedelta(days=400)) == Purged(feed_entries=0, webhook_deliveries=2)
    kept = WebhookDelivery.objects.order_by("pk").values_list("state", flat=True)
    assert list(kept) == [State.PENDING, State.DELIVERED]


def test_the_walk_goes_on_past_a_pending_delivery_and_across_batches() -> None:
    acme = make_partner(slug="acme")
    _deliveries(acme, [(State.PENDING, 450)] + [(State.DELIVERED, 420)] * 5 + [(State.DELIVERED, 1)])
    _feed(acme, [420] * 5 + [1])
    assert partners_purge(older_than=timedelta(days=400), batch=2) == Purged(feed_entries=5, webhook_deliveries=5)
    assert (WebhookDelivery.objects.count(), FeedEntry.objects.count()) == (2, 1)


def test_the_daily_task_uses_the_events_retention(settings) -> None:
    settings.EVENTS_RETENTION_DAYS = 30
    acme = make_partner(slug="acme")
    _feed(acme, [31, 29])
    _deliveries(acme, [(State.FAILED, 31), (State.FAILED, 29)])
    assert purge() == {"feed_entries": 1, "webhook_deliveries": 1}
    assert (FeedEntry.objects.get().seq, WebhookDelivery.objects.count()) == (2, 1)
