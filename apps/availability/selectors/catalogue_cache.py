"""What each property sells (room types, rate plans, which plan sells which room type), read for search.

Search runs many times a second against a catalogue that changes a few times a day, so each process
keeps a copy per property under ``Property.catalogue_stamp``. Search reads the stamp with the property
row it needs anyway; every catalogue write renews the stamp in its own transaction
(``availability.stamps``), so a copy is used only while nothing it holds has changed. Copies also
expire after ``CATALOGUE_CACHE_SECONDS``, which bounds what a write past the model (raw SQL, the
previous release during a rolling deploy) leaves unseen. Quotes and bookings never use the copy.

Copies are shared by the threads of a process and must not be changed: callers only read them.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from cachetools import TTLCache
from django.conf import settings

from apps.availability.models import Property, RatePlan, RoomType

MAX_PROPERTIES = 512  # copies kept per process (about 1 kB per room type); the least recently used go first
# Only what search and quote read of a room type (RoomTypeInfo, guest limits, ordering).
ROOM_TYPE_FIELDS = (
    "id",
    "property_id",
    "code",
    "name",
    "base_adults",
    "max_adults",
    "max_children",
    "max_occupancy",
    "sort_order",
)


@dataclass(frozen=True)
class Catalogue:
    """Active room types by (property, sort order, id), active plans by (property, id), and the
    (rate_plan_id, room_type_id) pairs those plans sell, active room types or not."""

    room_types: tuple[RoomType, ...]
    plans: tuple[RatePlan, ...]
    sells: frozenset[tuple[int, int]]


def read_catalogue(
    property_ids: Collection[int],
    *,
    room_type_ids: Collection[int] | None = None,
    rate_plan_ids: Collection[int] | None = None,
) -> Catalogue:
    """From the database, in three queries (two when nothing is on sale)."""
    room_type_filter: dict[str, Any] = {"property_id__in": list(property_ids), "is_active": True}
    plan_filter: dict[str, Any] = {"property_id__in": list(property_ids), "is_active": True}
    if room_type_ids is not None:
        room_type_filter["pk__in"] = list(room_type_ids)
    if rate_plan_ids is not None:
        plan_filter["pk__in"] = list(rate_plan_ids)
    room_types = tuple(
        RoomType.objects.filter(**room_type_filter).only(*ROOM_TYPE_FIELDS).order_by("property_id", "sort_order", "id")
    )
    plans = tuple(RatePlan.objects.filter(**plan_filter).order_by("property_id", "id"))
    sells: frozenset[tuple[int, int]] = frozenset()
    if plans and room_types:
        pairs = RatePlan.room_types.through.objects.filter(rateplan_id__in=[plan.pk for plan in plans])
        sells = frozenset(pairs.values_list("rateplan_id", "roomtype_id"))
    return Catalogue(room_types, plans, sells)


_lock = threading.Lock()
_copies: TTLCache[tuple[int, str], Catalogue] | None = None


def _store() -> TTLCache[tuple[int, str], Catalogue] | None:
    """The process's copies, made anew when the setting changes (tests switch it); None when off."""
    global _copies
    seconds = settings.CATALOGUE_CACHE_SECONDS
    if seconds <= 0:
        return None
    if _copies is None or _copies.ttl != seconds:
        _copies = TTLCache(maxsize=MAX_PROPERTIES, ttl=seconds)
    return _copies


def forget_catalogues() -> None:
    """Drop every copy this process holds (tests; an operator's shell after raw SQL)."""
    with _lock:
        if _copies is not None:
            _copies.clear()


def cached_catalogue(properties: Iterable[Property]) -> Catalogue:
    """The catalogue of these properties (each loaded with its ``catalogue_stamp``), from copies where
    the stamp still matches, else in one read for all that do not."""
    keys = {prop.pk: (prop.pk, prop.catalogue_stamp) for prop in properties}
    copies: dict[int, Catalogue] = {}
    with _lock:
        store = _store()
        if store is not None:
            found = {pk: store.get(key) for pk, key in keys.items()}  # get: an entry may expire meanwhile
            copies = {pk: copy for pk, copy in found.items() if copy is not None}
    missing = [pk for pk in keys if pk not in copies]
    if missing:
        fresh = _by_property(read_catalogue(missing), missing)
        copies.update(fresh)
        with _lock:
            store = _store()
            if store is not None:
                store.update({keys[pk]: copy for pk, copy in fresh.items()})
    parts = [copies[pk] for pk in sorted(copies)]
    if len(parts) == 1:
        return parts[0]
    return Catalogue(
        tuple(room_type for part in parts for room_type in part.room_types),
        tuple(plan for part in parts for plan in part.plans),
        frozenset().union(*(part.sells for part in parts)),
    )


def _by_property(catalogue: Catalogue, property_ids: Iterable[int]) -> dict[int, Catalogue]:
    plan_property = {plan.pk: plan.property_id for plan in catalogue.plans}
    return {
        pk: Catalogue(
            tuple(room_type for room_type in catalogue.room_types if room_type.property_id == pk),
            tuple(plan for plan in catalogue.plans if plan.property_id == pk),
            frozenset(pair for pair in catalogue.sells if plan_property[pair[0]] == pk),
        )
        for pk in property_ids
    }
