"""Staff-side ARI writes: price, restrictions, sellable counts and stop-sell over date ranges.

Each is an upsert that works the same on SQLite, PostgreSQL and Oracle: update the
rows that exist, then ``bulk_create`` the missing ones, all in one transaction
(no ``ignore_conflicts``, which Oracle lacks, and no vendor-specific MERGE).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from apps.availability.domain import invalid, night_words
from apps.availability.models import Inventory, NightRate, RatePlan, Room, RoomType, limits
from apps.availability.services.inventory import lock_rows, reclaim_locked
from booking_platform.errors import Conflict
from booking_platform.validation import clean_amount

RATE_FIELDS = frozenset(NightRate.SETTINGS)
MAX_RANGE_DAYS = 3 * 366
CHUNK = 500


def calendar_nights(*, date_from: date, date_to: date, weekdays: Collection[int] | None = None) -> list[date]:
    """Nights from ``date_from`` to ``date_to`` inclusive, on the given weekdays (0 = Monday), inside the calendar."""
    for name, value in (("date_from", date_from), ("date_to", date_to)):
        if not isinstance(value, date) or isinstance(value, datetime):
            raise invalid(name, "invalid_date", f"{name} must be a date (YYYY-MM-DD).")
    first, last = limits.night_window()
    if date_from < first or date_to > last:
        field = "date_from" if date_from < first else "date_to"
        raise invalid(field, "night_out_of_range", f"Nights must lie between {first} and {last}.")
    if date_to < date_from:
        raise invalid("date_to", "date_to_before_date_from", "The range must end on or after its start.")
    if (date_to - date_from).days >= MAX_RANGE_DAYS:
        raise invalid("date_to", "range_too_long", f"A range is at most {MAX_RANGE_DAYS} days.")
    if weekdays is not None and (not weekdays or not set(weekdays) <= set(range(7))):
        raise invalid("weekdays", "invalid_weekdays", "Weekdays are numbers 0 (Monday) to 6 (Sunday).")
    span = (date_to - date_from).days + 1
    nights = [date_from + timedelta(days=offset) for offset in range(span)]
    return [night for night in nights if weekdays is None or night.weekday() in weekdays]


def _chunks(nights: list[date]) -> Iterator[list[date]]:
    for start in range(0, len(nights), CHUNK):
        yield nights[start : start + CHUNK]


def _check_rate_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - RATE_FIELDS
    if not changes or unknown:
        raise invalid("changes", "invalid_changes", f"Set any of: {', '.join(sorted(RATE_FIELDS))}.")
    if "extra_adult_price" in changes and changes["extra_adult_price"] is None:
        raise invalid("extra_adult_price", "required", "Use 0 for no extra adult charge.")
    if "extra_child_price" in changes and changes["extra_child_price"] is None:
        raise invalid("extra_child_price", "required", "Use 0 for no child charge.")
    cleaned: dict[str, Any] = dict(changes)
    for name in ("price", "extra_adult_price", "extra_child_price"):
        if name in changes:
            cleaned[name] = clean_amount(
                changes[name], field=name, minimum=Decimal(0), maximum=limits.MAX_PRICE, allow_none=True
            )
    for name in ("min_stay_arrival", "min_stay_through", "max_stay"):
        value = changes.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 366):
            raise invalid(name, "invalid_stay_length", "Stay limits are 1 to 366 nights (or empty for none).")
    for name in ("closed_to_arrival", "closed_to_departure", "stop_sell"):
        if name in changes and not isinstance(changes[name], bool):
            raise invalid(name, "invalid", f"{name} must be true or false.")
    return cleaned


def _upsert(model: type, scope: dict[str, int], nights: list[date], changes: dict, defaults: dict) -> int:
    touched = 0
    for chunk in _chunks(nights):
        rows = model.objects.filter(**scope, night__in=chunk)
        existing = set(rows.values_list("night", flat=True))
        if existing:
            touched += rows.update(**changes)
        missing = [night for night in chunk if night not in existing]
        model.objects.bulk_create([model(**scope, night=night, **{**defaults, **changes}) for night in missing])
        touched += len(missing)
    return touched


def night_rates_set(
    *,
    rate_plan_ids: Collection[int],
    room_type_ids: Collection[int],
    date_from: date,
    date_to: date,
    weekdays: Collection[int] | None = None,
    **changes: Any,
) -> int:
    """Set price and/or restrictions for plans x room types x nights; returns rows written.

    New rows start from the room type's default prices. Derived plans are refused:
    they follow their parent.
    """
    changes = _check_rate_changes(changes)
    nights = calendar_nights(date_from=date_from, date_to=date_to, weekdays=weekdays)
    plans = list(RatePlan.objects.filter(pk__in=list(rate_plan_ids)))
    room_types = list(RoomType.objects.filter(pk__in=list(room_type_ids)))
    if not plans or len(plans) != len(set(rate_plan_ids)):
        raise invalid("rate_plan_ids", "unknown_rate_plan", "Choose existing rate plans.")
    if not room_types or len(room_types) != len(set(room_type_ids)):
        raise invalid("room_type_ids", "unknown_room_type", "Choose existing room types.")
    if any(plan.parent_id for plan in plans):
        raise invalid("rate_plan_ids", "derived_rate_plan", "Derived plans follow their parent; price the parent.")
    if len({plan.property_id for plan in plans} | {room_type.property_id for room_type in room_types}) != 1:
        raise invalid("room_type_ids", "other_property", "Rate plans and room types must belong to one property.")
    touched = 0
    with transaction.atomic():
        for plan in plans:
            for room_type in room_types:
                defaults = {
                    "price": room_type.default_price,
                    "extra_adult_price": room_type.default_extra_adult_price,
                    "extra_child_price": room_type.default_extra_child_price,
                }
                scope = {"rate_plan_id": plan.pk, "room_type_id": room_type.pk}
                touched += _upsert(NightRate, scope, nights, dict(changes), defaults)
    return touched


def rooms_in_service(room_type_ids: Collection[int]) -> dict[int, int]:
    """The default sellable count: rooms of the type that are not out of order."""
    counted = (
        RoomType.objects.filter(pk__in=list(room_type_ids))
        .annotate(rooms_ok=Count("rooms", filter=~Q(rooms__housekeeping_status=Room.Housekeeping.OUT_OF_ORDER)))
        .values_list("pk", "rooms_ok")
    )
    return dict(counted)


def _refuse_below_taken(rows: list[dict[str, Any]], freed: Mapping[int, int], sellable: int) -> None:
    taken = [(row["night"], row["sold"] + row["held"] - freed.get(row["id"], 0)) for row in rows]
    short = [(night, units) for night, units in taken if units > sellable]
    if short:
        words = ", ".join(f"{night_words(night)} ({units} sold or held)" for night, units in short)
        raise Conflict(
            f"Cannot lower sellable to {sellable}: {words}.",
            code="sellable_below_taken",
            extra={"field": "sellable", "nights": [night.isoformat() for night, _ in short]},
        )


def inventory_update(
    *,
    room_type_ids: Collection[int],
    date_from: date,
    date_to: date,
    weekdays: Collection[int] | None = None,
    sellable: int | None = None,
    stop_sell: bool | None = None,
) -> int:
    """Set sellable counts and/or stop-sell; never below what is sold or held (all or nothing)."""
    if sellable is None and stop_sell is None:
        raise invalid("sellable", "invalid_changes", "Set sellable, stop_sell or both.")
    if sellable is not None and (isinstance(sellable, bool) or not isinstance(sellable, int)):
        raise invalid("sellable", "invalid", "Sellable must be a whole number.")
    if sellable is not None and sellable < 0:
        raise invalid("sellable", "negative_sellable", "Sellable cannot be negative.")
    if sellable is not None and sellable > limits.MAX_SELLABLE:
        raise invalid("sellable", "out_of_range", f"Sellable is at most {limits.MAX_SELLABLE}.")
    if stop_sell is not None and not isinstance(stop_sell, bool):
        raise invalid("stop_sell", "invalid", "stop_sell must be true or false.")
    nights = calendar_nights(date_from=date_from, date_to=date_to, weekdays=weekdays)
    defaults = rooms_in_service(room_type_ids)
    if not defaults or len(defaults) != len(set(room_type_ids)):
        raise invalid("room_type_ids", "unknown_room_type", "Choose existing room types.")
    changes: dict[str, Any] = {}
    if sellable is not None:
        changes["sellable"] = sellable
    if stop_sell is not None:
        changes["stop_sell"] = stop_sell
    touched = 0
    with transaction.atomic():
        for room_type_id in sorted(defaults):
            for chunk in _chunks(nights):
                rows = lock_rows(Q(room_type_id=room_type_id, night__in=chunk))
                freed = reclaim_locked([row["id"] for row in rows], timezone.now())
                if sellable is not None:
                    _refuse_below_taken(rows, freed, sellable)
                    guard = Q(sold__lte=sellable - F("held"))
                else:
                    guard = Q()
                updated = Inventory.objects.filter(guard, pk__in=[row["id"] for row in rows]).update(**changes)
                if updated != len(rows):  # the rows are locked, so only a bug gets here; the atomic undoes it
                    raise Conflict("Inventory changed while it was being updated.", code="inventory_changed")
                touched += updated
                existing = {row["night"] for row in rows}
                new = {"sellable": defaults[room_type_id], **changes}
                Inventory.objects.bulk_create(
                    Inventory(room_type_id=room_type_id, night=night, **new) for night in chunk if night not in existing
                )
                touched += sum(1 for night in chunk if night not in existing)
    return touched
