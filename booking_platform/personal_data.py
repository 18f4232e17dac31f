"""Who holds personal data about a guest: a registry, so the guest's export and erasure reach every holder.

Customers owns the data-protection duties (export, erasure, retention) but must not import the
contexts that keep guest data of their own (bookings' guest names and requests): that made the two
import each other. Instead each holder registers itself from its AppConfig.ready(), as notifiers do,
and customers asks the registry. The kernel knows no context.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from booking_platform.actors import Actor


class Exporter(Protocol):
    def __call__(self, *, customer_id: int) -> Any: ...


class Eraser(Protocol):
    def __call__(self, *, customer_id: int, known_values: Collection[str], actor: Actor) -> int: ...


class LastActivity(Protocol):
    def __call__(self, *, customer_ids: Collection[int]) -> dict[int, date]: ...


@dataclass(frozen=True)
class PersonalDataHolder:
    """``export``: JSON-ready data under ``name`` in the guest's export; ``erase``: scrub it (returns rows
    touched); ``last_activity``: the latest date each guest was active, for the retention purge."""

    name: str
    export: Exporter
    erase: Eraser
    last_activity: LastActivity | None = None


_holders: dict[str, PersonalDataHolder] = {}


def register_personal_data_holder(
    name: str, *, export: Exporter, erase: Eraser, last_activity: LastActivity | None = None
) -> PersonalDataHolder:
    """Register (or re-register, e.g. on a second ready()) the holder ``name``."""
    holder = PersonalDataHolder(name=name, export=export, erase=erase, last_activity=last_activity)
    _holders[name] = holder
    return holder


def personal_data_holders() -> tuple[PersonalDataHolder, ...]:
    return tuple(_holders[name] for name in sorted(_holders))


def personal_data_export(*, customer_id: int) -> dict[str, Any]:
    """Every holder's data about the guest, keyed by holder name."""
    return {holder.name: holder.export(customer_id=customer_id) for holder in personal_data_holders()}


def personal_data_erase(*, customer_id: int, known_values: Collection[str], actor: Actor) -> dict[str, int]:
    """Erase the guest's data at every holder (inside the caller's transaction); rows touched per holder."""
    return {
        holder.name: holder.erase(customer_id=customer_id, known_values=known_values, actor=actor)
        for holder in personal_data_holders()
    }


def personal_data_last_activity(*, customer_ids: Collection[int]) -> dict[int, date]:
    """The latest activity date per guest over all holders that know one."""
    latest: dict[int, date] = {}
    for holder in personal_data_holders():
        if holder.last_activity is None:
            continue
        for customer_id, day in holder.last_activity(customer_ids=customer_ids).items():
            latest[customer_id] = max(day, latest.get(customer_id, day))
    return latest
