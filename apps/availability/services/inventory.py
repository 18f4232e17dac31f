"""The inventory primitive: take, confirm and give back units per night without ever overselling.

Every path locks the inventory rows it touches with ``select_for_update`` in one
global order (room_type_id, night), first turns expired holds on those rows back
into free units, then changes the counters with one conditional ``UPDATE`` of
``F()`` expressions whose row count proves every night had room. The database
CHECK (sold + held <= sellable) is the last line of defence, not the mechanism.
On SQLite the IMMEDIATE transaction makes the whole take one writer at a time.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.expressions import Combinable
from django.utils import timezone

from apps.availability.domain import HoldExpired, NotAvailable, invalid, night_words, stay_nights
from apps.availability.models import Allocation, Inventory
from booking_platform.db.retry import retry_on_deadlock
from booking_platform.errors import Conflict

logger = logging.getLogger(__name__)
HELD, SOLD = Allocation.State.HELD, Allocation.State.SOLD
ACTIVE = (HELD, SOLD)
MAX_STAY_NIGHTS = 366
Slot = tuple[int, date]  # (room_type_id, night)


@dataclass(frozen=True)
class InventoryRequest:
    """N units of a room type for each night of [check_in, check_out)."""

    room_type_id: int
    check_in: date
    check_out: date
    units: int = 1


def _needs(items: Sequence[InventoryRequest]) -> dict[Slot, int]:
    """Units wanted per (room type, night); overlapping items for one room type add up."""
    if not items:
        raise invalid("items", "required", "Ask for at least one room type and stay.")
    needs: dict[Slot, int] = defaultdict(int)
    for item in items:
        if item.units < 1:
            raise invalid("units", "invalid_units", "Units must be at least 1.")
        if item.check_out <= item.check_in:
            raise invalid("check_out", "check_out_not_after_check_in", "Check-out must be after check-in.")
        if (item.check_out - item.check_in).days > MAX_STAY_NIGHTS:
            raise invalid("check_out", "stay_too_long", f"A stay is at most {MAX_STAY_NIGHTS} nights.")
        for night in stay_nights(item.check_in, item.check_out):
            needs[(item.room_type_id, night)] += item.units
    return dict(needs)


def lock_rows(condition: Q) -> list[dict[str, Any]]:
    """Lock inventory rows in the one global order; the snapshot is only used for messages."""
    rows = Inventory.objects.select_for_update().filter(condition).order_by("room_type_id", "night")
    return list(rows.values("id", "room_type_id", "night", "sellable", "sold", "held", "stop_sell"))


def _slots_condition(items: Iterable[InventoryRequest]) -> Q:
    condition = Q(pk__in=[])
    for item in items:
        condition |= Q(room_type_id=item.room_type_id, night__gte=item.check_in, night__lt=item.check_out)
    return condition


def per_row(deltas: Mapping[int, int]) -> Combinable:
    """The amount for each inventory row as one SQL expression, so one UPDATE serves all rows."""
    amounts = set(deltas.values())
    if len(amounts) == 1:
        return Value(amounts.pop())
    whens = [When(pk=pk, then=Value(amount)) for pk, amount in deltas.items()]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def reclaim_locked(inventory_ids: Iterable[int], now: datetime) -> dict[int, int]:
    """Expire lapsed holds on rows this transaction has locked; returns units freed per row."""
    lapsed = list(
        Allocation.objects.filter(inventory_id__in=list(inventory_ids), state=HELD, expires_at__lte=now).values_list(
            "id", "inventory_id", "units"
        )
    )
    freed: dict[int, int] = defaultdict(int)
    for _, inventory_id, units in lapsed:
        freed[inventory_id] += units
    if lapsed:
        Allocation.objects.filter(pk__in=[pk for pk, _, _ in lapsed]).update(
            state=Allocation.State.EXPIRED, updated_at=now
        )
        Inventory.objects.filter(pk__in=list(freed)).update(held=F("held") - per_row(freed))
    return dict(freed)


def _short_nights(rows: list[dict[str, Any]], needs: Mapping[Slot, int], freed: Mapping[int, int]) -> NotAvailable:
    by_slot = {(row["room_type_id"], row["night"]): row for row in rows}
    short: list[dict[str, Any]] = []
    for slot, wanted in sorted(needs.items()):
        row = by_slot.get(slot)
        free = 0 if row is None or row["stop_sell"] else row["sellable"] - row["sold"] - row["held"]
        free += freed.get(row["id"], 0) if row and not row["stop_sell"] else 0
        if free < wanted:
            short.append({"room_type_id": slot[0], "night": slot[1].isoformat(), "available": max(free, 0)})
    nights = sorted({entry["night"] for entry in short})
    words = ", ".join(night_words(date.fromisoformat(night)) for night in nights) or "the asked nights"
    return NotAvailable(f"Not available on {words}.", extra={"nights": nights, "short": short})


def _repeat_matches(existing: list[dict[str, Any]], deltas: Mapping[int, int], state: str) -> bool:
    held = {row["inventory_id"]: row["units"] for row in existing if row["state"] == state}
    return len(held) == len(existing) and held == dict(deltas)


@retry_on_deadlock
def take_inventory(
    *, key: str, items: Sequence[InventoryRequest], hold_until: datetime | None = None, new_key: bool = False
) -> None:
    """Take units for every night of every item, as a hold until ``hold_until`` or as sold.

    All or nothing: NotAvailable names the short nights and leaves every counter as it was.
    Retrying with the same key and the same items is a no-op; a key is never reused. ``new_key``
    says the caller knows the key was never used (a booking reference it has just inserted under
    a unique index), which spares the look-up. Lapsed holds on the rows are turned back into free
    units only when a night is short without them (the sweeper collects the rest).
    """
    if not key:
        raise invalid("key", "required", "An allocation key is required.")
    needs = _needs(items)
    now = timezone.now()
    if hold_until is not None and timezone.is_naive(hold_until):
        raise invalid("hold_until", "hold_until_naive", "hold_until must carry a time zone.")
    if hold_until is not None and hold_until <= now:
        raise invalid("hold_until", "hold_until_past", "A hold must end in the future.")
    state = HELD if hold_until is not None else SOLD
    with transaction.atomic():
        rows = lock_rows(_slots_condition(items))
        by_slot = {(row["room_type_id"], row["night"]): row["id"] for row in rows}
        deltas = {by_slot[slot]: units for slot, units in needs.items() if slot in by_slot}
        if not new_key:
            existing = list(Allocation.objects.filter(alloc_key=key).values("inventory_id", "units", "state"))
            if existing:
                if len(deltas) == len(needs) and _repeat_matches(existing, deltas, state):
                    return
                raise Conflict(f"Allocation key {key!r} was used already.", code="allocation_key_used")
        freed: dict[int, int] = {}
        if len(deltas) == len(needs) and not _fits(rows, deltas):
            freed = reclaim_locked(deltas, now)
        if len(deltas) < len(needs) or not _fits(rows, deltas, freed):
            raise _short_nights(rows, needs, freed)
        counter = "held" if state == HELD else "sold"
        amount = per_row(deltas)
        changed = Inventory.objects.filter(
            pk__in=list(deltas), stop_sell=False, sellable__gte=F("sold") + F("held") + amount
        ).update(**{counter: F(counter) + amount})
        if changed != len(deltas):
            raise _short_nights(rows, needs, freed)  # the atomic block undoes the rows that did change
        Allocation.objects.bulk_create(
            Allocation(alloc_key=key, inventory_id=pk, units=units, state=state, expires_at=hold_until)
            for pk, units in deltas.items()
        )


def _fits(rows: list[dict[str, Any]], deltas: Mapping[int, int], freed: Mapping[int, int] | None = None) -> bool:
    """Whether every locked row has the units asked of it (counting units a reclaim just freed)."""
    freed = freed or {}
    return all(
        not row["stop_sell"] and row["sellable"] - row["sold"] - row["held"] + freed.get(pk, 0) >= deltas[pk]
        for row in rows
        if (pk := row["id"]) in deltas
    )


def lock_inventory(*, keys: Iterable[str] = (), items: Sequence[InventoryRequest] = ()) -> int:
    """Lock, in ONE pass in the global order, every row the keys hold and the items would take.

    A transaction that changes several allocations (modify: take new nights, give back old ones)
    calls this first; its later take/release calls then find their rows already locked, so it never
    holds a later row while waiting for an earlier one. Must run inside the caller's atomic block.
    Returns the number of rows locked.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_inventory must run inside the caller's transaction")
    held = Allocation.objects.filter(alloc_key__in=list(keys), state__in=list(ACTIVE))
    inventory_ids = list(held.values_list("inventory_id", flat=True))
    return len(lock_rows(Q(pk__in=inventory_ids) | _slots_condition(items)))


def _lock_key(key: str, states: Iterable[str], *, first_night: date | None = None) -> list[dict[str, Any]]:
    """Lock the inventory rows a key touches (in global order), then read its allocations.

    With ``first_night``, only the key's rows for that night and later are locked and read.
    """
    mine = Allocation.objects.filter(alloc_key=key)
    if first_night is not None:
        mine = mine.filter(inventory__night__gte=first_night)
    if not lock_rows(Q(pk__in=mine.filter(state__in=list(states)).values("inventory_id"))):
        return []
    return list(mine.values("id", "inventory_id", "units", "state", "expires_at"))


@retry_on_deadlock
def confirm_hold(*, key: str) -> None:
    """Turn the key's hold into sold units; HoldExpired if it lapsed, was released or never existed."""
    now = timezone.now()
    with transaction.atomic():
        allocations = _lock_key(key, ACTIVE)
        states = {row["state"] for row in allocations}
        if allocations and states == {SOLD}:
            return
        if not allocations or states != {HELD} or any(row["expires_at"] <= now for row in allocations):
            raise HoldExpired(f"The hold {key!r} has expired or does not exist.")
        deltas = {row["inventory_id"]: row["units"] for row in allocations}
        amount = per_row(deltas)
        Inventory.objects.filter(pk__in=list(deltas)).update(held=F("held") - amount, sold=F("sold") + amount)
        Allocation.objects.filter(pk__in=[row["id"] for row in allocations]).update(
            state=SOLD, expires_at=None, updated_at=now
        )


def _give_back(allocations: list[dict[str, Any]], now: datetime) -> int:
    """Return the active allocations' units to their (already locked) rows; mark them released."""
    active = [row for row in allocations if row["state"] in ACTIVE]
    if not active:
        return 0
    for counter, state in (("held", HELD), ("sold", SOLD)):
        deltas = {row["inventory_id"]: row["units"] for row in active if row["state"] == state}
        if deltas:
            Inventory.objects.filter(pk__in=list(deltas)).update(**{counter: F(counter) - per_row(deltas)})
    Allocation.objects.filter(pk__in=[row["id"] for row in active]).update(
        state=Allocation.State.RELEASED, expires_at=None, updated_at=now
    )
    return sum(row["units"] for row in active)


@retry_on_deadlock
def release_inventory(*, key: str) -> int:
    """Give back whatever the key holds or sold; returns unit-nights given back (0 on a repeat)."""
    now = timezone.now()
    with transaction.atomic():
        return _give_back(_lock_key(key, ACTIVE), now)


@retry_on_deadlock
def release_inventory_from(*, key: str, first_night: date) -> int:
    """Give back the key's units for ``first_night`` and every later night (an early departure).

    Earlier nights stay as they are. Locks only the rows it changes, in the global order;
    idempotent: a repeat, or a night after the key's last, gives back 0. Returns unit-nights.
    """
    if not key:
        raise invalid("key", "required", "An allocation key is required.")
    now = timezone.now()
    with transaction.atomic():
        return _give_back(_lock_key(key, ACTIVE, first_night=first_night), now)


@retry_on_deadlock
def reclaim_expired_holds(*, now: datetime | None = None, batch: int = 500) -> int:
    """Sweep lapsed holds back into free units; returns unit-nights freed. Reads never need it."""
    now = now or timezone.now()
    total = 0
    while True:
        lapsed = Allocation.objects.filter(state=HELD, expires_at__lte=now)
        inventory_ids = list(lapsed.order_by("inventory_id").values_list("inventory_id", flat=True).distinct()[:batch])
        if not inventory_ids:
            return total
        with transaction.atomic():
            lock_rows(Q(pk__in=inventory_ids))
            total += sum(reclaim_locked(inventory_ids, now).values())


@retry_on_deadlock
def repair_inventory_counts(*, counts: Mapping[tuple[int, date], tuple[int, int]]) -> int:
    """Set sold/held to what bookings say (reconciliation found drift); returns rows changed.

    Lapsed holds are first swept on the rows, so ``held`` is compared like for like.
    A night where bookings exceed sellable gets its sellable raised to fit and a warning.
    """
    if not counts:
        return 0
    now = timezone.now()
    nights_by_type: dict[int, list[date]] = defaultdict(list)
    for room_type_id, night in counts:
        nights_by_type[room_type_id].append(night)
    condition = Q(pk__in=[])
    for room_type_id, nights in nights_by_type.items():
        condition |= Q(room_type_id=room_type_id, night__in=nights)
    changed = 0
    with transaction.atomic():
        rows = lock_rows(condition)
        freed = reclaim_locked([row["id"] for row in rows], now)
        for row in rows:
            sold, held = counts[(row["room_type_id"], row["night"])]
            current_held = row["held"] - freed.get(row["id"], 0)
            if (row["sold"], current_held) == (sold, held):
                continue
            if sold + held > row["sellable"]:
                logger.warning(
                    "inventory overbooked", extra={"room_type_id": row["room_type_id"], "night": str(row["night"])}
                )
            Inventory.objects.filter(pk=row["id"]).update(
                sold=sold, held=held, sellable=max(row["sellable"], sold + held)
            )
            changed += 1
    return changed
