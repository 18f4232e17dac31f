"""Backfill the partner feed from the outbox, in outbox id order.

Backfilled entries take ``seq = outbox id``: the feed's cursor used to be the outbox id, so a cursor a
partner holds from before this release still points at the same place. Each partner's counter then
continues from its last backfilled id, so every new entry sorts after every old cursor.

Each backfilled event is also marked done for the ``partners.feed`` consumer: its per-booking order
check would otherwise wait on these old events, and reconcile would offer them again. Events that
commit after this step have no marker, so the new consumer (or reconcile) appends them.
"""

from __future__ import annotations

from django.db import migrations

BOOKING_EVENT_TYPES = (  # frozen copy: migrations never import app code
    "booking.held",
    "booking.confirmed",
    "booking.cancelled",
    "booking.modified",
    "booking.checked_in",
    "booking.checked_out",
    "booking.no_show",
    "booking.expired",
)
BATCH = 1000
CONSUMER = "partners.feed"


def _entries(apps, partner_ids: set[int]):
    outbox = apps.get_model("kernel", "OutboxEvent")
    rows = outbox.objects.filter(aggregate_type="booking", event_type__in=BOOKING_EVENT_TYPES).order_by("id")
    for row in rows.iterator(chunk_size=BATCH):
        partner_id = (row.payload or {}).get("partner_id") if isinstance(row.payload, dict) else None
        if isinstance(partner_id, int) and not isinstance(partner_id, bool) and partner_id in partner_ids:
            yield partner_id, row


def _flush(entry_model, entries, marker_model, markers) -> None:
    entry_model.objects.bulk_create(entries)
    marker_model.objects.bulk_create(markers, ignore_conflicts=True)


def backfill(apps, schema_editor) -> None:
    partner_model = apps.get_model("partners", "Partner")
    entry_model = apps.get_model("partners", "FeedEntry")
    marker_model = apps.get_model("kernel", "ProcessedEvent")
    partner_ids = set(partner_model.objects.values_list("id", flat=True))
    last: dict[int, int] = {}
    batch, markers = [], []
    for partner_id, row in _entries(apps, partner_ids):
        last[partner_id] = row.id
        batch.append(
            entry_model(
                partner_id=partner_id,
                seq=row.id,
                outbox_id=row.id,
                event_id=row.event_id,
                event_type=row.event_type,
                booking_reference=row.aggregate_id,
                payload=row.payload,
                occurred_at=row.occurred_at,
            )
        )
        markers.append(marker_model(consumer=CONSUMER, event_id=row.event_id))
        if len(batch) >= BATCH:
            _flush(entry_model, batch, marker_model, markers)
            batch, markers = [], []
    _flush(entry_model, batch, marker_model, markers)
    for partner_id, seq in last.items():
        partner_model.objects.filter(pk=partner_id).update(feed_seq=seq)


def forget(apps, schema_editor) -> None:
    apps.get_model("partners", "FeedEntry").objects.all().delete()
    apps.get_model("kernel", "ProcessedEvent").objects.filter(consumer=CONSUMER).delete()
    apps.get_model("partners", "Partner").objects.update(feed_seq=0)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0002_feed_entries"),
        ("kernel", "0002_events_notifications"),
    ]

    operations = [migrations.RunPython(backfill, forget)]
