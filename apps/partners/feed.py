"""The partner's event feed: entries appended by the ``partners.feed`` outbox consumer, read by seq.

The consumer is transactional: it runs in the same transaction as its processed marker (exactly once). It locks the
partner row, takes the next ``feed_seq`` and keeps the lock until commit, so for one partner the
seq order is the commit order: a reader that has seen seq N will never later find an entry < N.
"""

from __future__ import annotations

from apps.partners.models import FeedEntry, Partner
from booking_platform.db.locking import lock_one
from booking_platform.events.types import Event


def _partner_of(event: Event) -> int | None:
    partner_id = (event.payload or {}).get("partner_id")
    if event.aggregate_type != "booking" or isinstance(partner_id, bool) or not isinstance(partner_id, int):
        return None
    return partner_id if 0 < partner_id < 2**63 else None


def feed_append(event: Event) -> None:
    """The ``partners.feed`` consumer: append ``event`` to its partner's feed once.

    Nothing happens when the event has no (living) partner or is already there (a forced replay).
    """
    partner_id = _partner_of(event)
    if partner_id is None:
        return
    partner = lock_one(Partner.objects.filter(pk=partner_id))  # held until the consumer commits
    if partner is None or FeedEntry.objects.filter(partner=partner, event_id=event.event_id).exists():
        return
    seq = partner.feed_seq + 1
    Partner.objects.filter(pk=partner.pk).update(feed_seq=seq)
    FeedEntry.objects.create(
        partner=partner,
        seq=seq,
        outbox_id=event.pk,
        event_id=event.event_id,
        event_type=event.event_type,
        booking_reference=event.aggregate_id,
        payload=event.payload,
        occurred_at=event.occurred_at,
    )


def feed_page(*, partner_id: int, after: int | None, limit: int) -> list[FeedEntry]:
    """Up to ``limit + 1`` entries after seq ``after`` (the extra one only says there is more)."""
    rows = FeedEntry.objects.filter(partner_id=partner_id).order_by("seq")
    if after is not None:
        rows = rows.filter(seq__gt=after)
    return list(rows[: limit + 1])
