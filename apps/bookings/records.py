"""Every state change leaves two traces in its transaction: an audit entry and an outbox event."""

from __future__ import annotations

from typing import Any, Protocol

from django.utils import timezone

from apps.bookings import policies
from apps.bookings.actors import Actor
from apps.bookings.models import AuditEntry, Booking
from booking_platform.events.outbox import emit

PAYLOAD_VERSION = 1


class PropertyLike(Protocol):
    timezone: str
    check_in_time: Any


def snapshot(booking: Booking) -> dict[str, Any]:
    """The booking's changeable facts as JSON, for audit before/after values."""
    return {
        "status": booking.status,
        "check_in": booking.check_in.isoformat(),
        "check_out": booking.check_out.isoformat(),
        "adults": booking.adults,
        "children": booking.children,
        "special_requests": booking.special_requests,
        "total": str(booking.total),
        "taxes": str(booking.taxes),
        "cancellation_fee": str(booking.cancellation_fee),
        "departed_on": booking.departed_on.isoformat() if booking.departed_on else None,
        "version": booking.version,
        "rooms": [
            {
                "room_type_id": room.room_type_id,
                "rate_plan_id": room.rate_plan_id,
                "adults": room.adults,
                "children": room.children,
                "total": str(room.total),
                "guest_name": room.guest_name,
                "assigned_room_id": room.assigned_room_id,
            }
            for room in booking.rooms.all()
        ],
    }


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keep only the keys whose value differs, so the trail says what changed."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def event_payload(booking: Booking, *, prop: PropertyLike, actor: Actor, **extra: Any) -> dict[str, Any]:
    """The contract payload (docs/contracts.md): amounts and ids, never personal data."""
    payload: dict[str, Any] = {
        "reference": booking.reference,
        "booking_id": booking.pk,
        "property_id": booking.property_id,
        "customer_id": booking.customer_id,
        "status": booking.status,
        "channel": booking.channel,
        "partner_id": booking.partner_id,
        "language": booking.language,
        "check_in": booking.check_in.isoformat(),
        "check_out": booking.check_out.isoformat(),
        "currency": booking.currency,
        "total": str(booking.total),
        "taxes": str(booking.taxes),
        "policy": booking.cancellation_policy,
        "policy_text": policies.describe(booking, prop=prop),
        "rooms": [
            {
                "room_type_id": room.room_type_id,
                "room_type_name": room.room_type_name,
                "rate_plan_id": room.rate_plan_id,
                "rate_plan_name": room.rate_plan_name,
                "adults": room.adults,
                "children": room.children,
                "nights": room.nightly,
            }
            for room in booking.rooms.all()
        ],
        "actor": actor.as_dict(),
    }
    payload.update(extra)
    return payload


def record_change(
    booking: Booking,
    *,
    action: str,
    actor: Actor,
    before: dict[str, Any],
    prop: PropertyLike,
    event_type: str | None = None,
    audit_extra: dict[str, Any] | None = None,
    **event_extra: Any,
) -> AuditEntry:
    """Audit the change (what differs from `before`, plus `audit_extra` facts such as inventory
    given back) and, for state changes, emit the event."""
    old, new = changed(before, snapshot(booking))
    new.update(audit_extra or {})
    entry = AuditEntry.objects.create(
        booking=booking,
        actor_kind=actor.kind,
        actor_id=actor.id,
        action=action,
        before=old,
        after=new,
        occurred_at=timezone.now(),
    )
    if event_type:
        emit(
            event_type=event_type,
            aggregate_type="booking",
            aggregate_id=booking.reference,
            payload=event_payload(booking, prop=prop, actor=actor, **event_extra),
            payload_version=PAYLOAD_VERSION,
        )
    return entry


def save_change(booking: Booking, *, update_fields: list[str] | None = None, **record: Any) -> AuditEntry:
    """Every change of a booking: a new version, saved, audited and (for state changes) an event.

    One place for the sequence, so no service can bump the version and forget the trail.
    """
    booking.version += 1
    booking.save(update_fields=update_fields)
    return record_change(booking, **record)
