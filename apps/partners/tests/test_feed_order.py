"""The feed is numbered in commit order: an event that commits late with a lower outbox id is not skipped."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from apps.partners.models import FeedEntry, Partner
from apps.partners.tests.factories import PartnerClient, make_partner
from apps.partners.tests.test_concurrency import run_together
from booking_platform.events.consumers import Outcome, consume, get_consumer
from booking_platform.events.models import OutboxEvent, ProcessedEvent

FEED = "partners.feed"


def _outbox(partner: Partner | int, reference: str, event_type: str = "booking.confirmed") -> OutboxEvent:
    """An outbox row as bookings writes it; the test decides when the consumer sees it ("commits")."""
    partner_id = partner if isinstance(partner, int) else partner.pk
    return OutboxEvent.objects.create(
        event_type=event_type,
        aggregate_type="booking",
        aggregate_id=reference,
        payload={"partner_id": partner_id, "reference": reference},
        occurred_at=timezone.now(),
    )


def _read_all(acme: PartnerClient, cursor: str) -> tuple[list[str], str]:
    response = acme.client.get(f"/api/v1/events/?after={cursor}" if cursor else "/api/v1/events/")
    assert response.status_code == 200, response.content
    page = response.json()
    return [e["booking_reference"] for e in page["results"]], page["next_cursor"]


@pytest.mark.django_db
def test_a_late_committing_lower_id_is_still_read_after_a_higher_one() -> None:
    acme = make_partner(slug="acme")
    early, late = _outbox(acme.partner, "BK-EARLY"), _outbox(acme.partner, "BK-LATE")
    assert early.pk < late.pk
    # The higher id commits (and is consumed) first; the partner reads it.
    assert consume(get_consumer(FEED), late.pk) == Outcome.DONE
    seen, cursor = _read_all(acme, "")
    assert seen == ["BK-LATE"]
    # The lower id commits afterwards: it is numbered after what the partner already read.
    assert consume(get_consumer(FEED), early.pk) == Outcome.DONE
    seen, cursor = _read_all(acme, cursor)
    assert seen == ["BK-EARLY"]
    assert list(FeedEntry.objects.order_by("seq").values_list("seq", "outbox_id")) == [(1, late.pk), (2, early.pk)]
    assert _read_all(acme, cursor) == ([], cursor)


@pytest.mark.django_db
def test_each_partner_sees_only_its_own_entries_and_each_event_once() -> None:
    acme, globex = make_partner(slug="acme"), make_partner(slug="globex")
    mine, theirs = _outbox(acme.partner, "BK-A"), _outbox(globex.partner, "BK-G")
    for row in (mine, theirs, mine):  # the second run on ``mine`` is a redelivery
        consume(get_consumer(FEED), row.pk)
    ProcessedEvent.objects.filter(consumer=FEED).delete()  # a forced replay forgets the markers
    consume(get_consumer(FEED), mine.pk)
    assert _read_all(acme, "")[0] == ["BK-A"]
    assert _read_all(globex, "")[0] == ["BK-G"]
    assert list(Partner.objects.order_by("slug").values_list("slug", "feed_seq")) == [("acme", 1), ("globex", 1)]


@pytest.mark.django_db
def test_events_without_a_living_partner_are_not_fed() -> None:
    acme = make_partner(slug="acme")
    gone = _outbox(acme.partner.pk + 1000, "BK-GONE")
    no_partner = OutboxEvent.objects.create(
        event_type="booking.held",
        aggregate_type="booking",
        aggregate_id="BK-WEB",
        payload={},
        occurred_at=timezone.now(),
    )
    text_id = _outbox(acme.partner, "BK-TEXT")
    OutboxEvent.objects.filter(pk=text_id.pk).update(payload={"partner_id": str(acme.partner.pk)})
    for row in (gone, no_partner, text_id):
        assert consume(get_consumer(FEED), row.pk) == Outcome.DONE
    assert (FeedEntry.objects.count(), Partner.objects.get().feed_seq) == (0, 0)


@pytest.mark.django_db
def test_the_backfill_keeps_old_cursors_valid_and_marks_the_events_done() -> None:
    acme, globex = make_partner(slug="acme"), make_partner(slug="globex")
    a1, g1, a2 = _outbox(acme.partner, "BK-1"), _outbox(globex.partner, "BK-2"), _outbox(acme.partner, "BK-3")
    OutboxEvent.objects.create(
        event_type="property.created",
        aggregate_type="property",
        aggregate_id="7",
        payload={},
        occurred_at=a1.occurred_at,
    )
    migration = importlib.import_module("apps.partners.migrations.0003_feed_backfill")
    migration.backfill(django_apps, None)
    assert list(FeedEntry.objects.order_by("id").values_list("partner__slug", "seq", "outbox_id")) == [
        ("acme", a1.pk, a1.pk),
        ("globex", g1.pk, g1.pk),
        ("acme", a2.pk, a2.pk),
    ]
    assert set(ProcessedEvent.objects.filter(consumer=FEED).values_list("event_id", flat=True)) == {
        a1.event_id,
        g1.event_id,
        a2.event_id,
    }
    from booking_platform.api.pagination import encode_cursor

    # A cursor handed out before (the outbox id of BK-1) still leads to exactly what came after it.
    assert _read_all(acme, encode_cursor(a1.pk))[0] == ["BK-3"]
    later = _outbox(acme.partner, "BK-4")
    consume(get_consumer(FEED), later.pk)
    assert FeedEntry.objects.get(outbox_id=later.pk).seq == a2.pk + 1
    assert _read_all(acme, encode_cursor(a2.pk))[0] == ["BK-4"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_for_one_partner_get_gapless_unique_seqs(require_postgres: None) -> None:
    acme = make_partner(slug="acme")
    rows = [_outbox(acme.partner, f"BK-{i}") for i in range(12)]
    outcomes = run_together([lambda pk=row.pk: consume(get_consumer(FEED), pk) for row in rows])
    assert outcomes == [Outcome.DONE] * len(rows)
    seqs = sorted(FeedEntry.objects.filter(partner=acme.partner).values_list("seq", flat=True))
    assert seqs == list(range(1, len(rows) + 1))
    assert Partner.objects.get(pk=acme.partner.pk).feed_seq == len(rows)
    assert sorted(FeedEntry.objects.values_list("outbox_id", flat=True)) == sorted(r.pk for r in rows)
