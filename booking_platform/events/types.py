"""The event as consumers see it: a frozen copy of the outbox row, never the model."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from booking_platform.events.models import OutboxEvent


@dataclass(frozen=True)
class Event:
    """What a handler may rely on; handlers never write to the outbox row."""

    pk: int
    event_id: uuid.UUID
    event_type: str
    aggregate_type: str
    aggregate_id: str
    occurred_at: datetime
    payload: dict[str, Any]
    payload_version: int

    @classmethod
    def from_row(cls, row: OutboxEvent) -> Event:
        return cls(
            pk=row.pk,
            event_id=row.event_id,
            event_type=row.event_type,
            aggregate_type=row.aggregate_type,
            aggregate_id=row.aggregate_id,
            occurred_at=row.occurred_at,
            payload=dict(row.payload),
            payload_version=row.payload_version,
        )
