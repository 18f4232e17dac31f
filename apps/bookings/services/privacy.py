"""A customer's bookings under data-protection law: export them, or erase what identifies the guest."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.bookings.actors import Actor
from apps.bookings.models import AuditEntry, Booking, BookingRoom
from booking_platform.personal_data import register_personal_data_holder

ERASED = "[erased]"
# Free-text fields a guest fills in; audit values under these keys are personal data too.
PERSONAL_KEYS = frozenset({"special_requests", "guest_name"})


def customer_bookings_export(*, customer_id: int) -> list[dict[str, Any]]:
    """Every booking of the customer with its rooms and audit trail, as JSON-ready dicts."""
    bookings = Booking.objects.filter(customer_id=customer_id).prefetch_related("rooms", "audit_entries")
    return [
        {
            "reference": b.reference,
            "property_id": b.property_id,
            "status": b.status,
            "channel": b.channel,
            "language": b.language,
            "check_in": b.check_in.isoformat(),
            "check_out": b.check_out.isoformat(),
            "adults": b.adults,
            "children": b.children,
            "special_requests": b.special_requests,
            "currency": b.currency,
            "total": str(b.total),
            "taxes": str(b.taxes),
            "cancellation_fee": str(b.cancellation_fee),
            "cancellation_policy": b.cancellation_policy,
            "created_at": b.created_at.isoformat(),
            "rooms": [
                {
                    "room_type_name": r.room_type_name,
                    "rate_plan_name": r.rate_plan_name,
                    "adults": r.adults,
                    "children": r.children,
                    "guest_name": r.guest_name,
                    "nights": r.nightly,
                    "total": str(r.total),
                }
                for r in b.rooms.all()
            ],
            "audit": [
                {
                    "at": e.occurred_at.isoformat(),
                    "actor": {"kind": e.actor_kind, "id": e.actor_id},
                    "action": e.action,
                    "before": e.before,
                    "after": e.after,
                }
                for e in b.audit_entries.all()
            ],
        }
        for b in bookings.order_by("id")
    ]


def _scrub(value: Any, *, known: Collection[str]) -> Any:
    """Replace personal values anywhere in a JSON value: by key, or by containing a known value."""
    if isinstance(value, dict):
        return {k: (ERASED if k in PERSONAL_KEYS and v else _scrub(v, known=known)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, known=known) for v in value]
    if isinstance(value, str) and any(item and item.lower() in value.lower() for item in known):
        return ERASED
    return value


def customer_bookings_erase(*, customer_id: int, known_values: Collection[str], actor: Actor) -> int:
    """Blank guest names, special requests and their audit history; amounts and dates stay for the books."""
    known = [v for v in known_values if v and len(v) >= 3]
    with transaction.atomic():
        bookings = list(Booking.objects.select_for_update().filter(customer_id=customer_id).order_by("pk"))
        ids = [b.pk for b in bookings]
        Booking.objects.filter(pk__in=ids).exclude(special_requests="").update(special_requests=ERASED)
        BookingRoom.objects.filter(booking_id__in=ids).exclude(guest_name="").update(guest_name=ERASED)
        for entry in AuditEntry.objects.filter(booking_id__in=ids).iterator():
            before, after = _scrub(entry.before, known=known), _scrub(entry.after, known=known)
            if (before, after) != (entry.before, entry.after):
                AuditEntry.objects.filter(pk=entry.pk).update(before=before, after=after)
        now = timezone.now()
        AuditEntry.objects.bulk_create(
            AuditEntry(
                booking_id=pk, actor_kind=actor.kind, actor_id=actor.id, action="personal_data_erased", occurred_at=now
            )
            for pk in ids
        )
    return len(ids)


def customers_last_activity(*, customer_ids: Collection[int]) -> dict[int, Any]:
    """The latest departure date of any booking per customer (any status), for retention."""
    rows = (
        Booking.objects.filter(customer_id__in=list(customer_ids))
        .values("customer_id")
        .annotate(last=Max("check_out"))
        .values_list("customer_id", "last")
    )
    return dict(rows)


def register_personal_data() -> None:
    """Tell the kernel's registry that bookings hold guest data (called from BookingsConfig.ready())."""
    register_personal_data_holder(
        "bookings",
        export=customer_bookings_export,
        erase=customer_bookings_erase,
        last_activity=customers_last_activity,
    )
