"""Rooms entering or leaving service change what can be sold on the nights ahead."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest, Least

from apps.availability.models import Inventory, Room
from apps.availability.selectors.search import local_today
from apps.availability.services.ari import rooms_in_service
from apps.availability.services.inventory import lock_rows
from booking_platform.db.locking import lock_one
from booking_platform.errors import NotFound, ValidationFailed


def inventory_rooms_changed(*, room_type_id: int, delta: int, from_night: date) -> int:
    """Move sellable by ``delta`` on every night from ``from_night``; never below sold + held.

    A room taken out of order while every room is sold leaves sellable at what is sold (the
    hotel must move a guest, the calendar must not pretend it oversold). A room back in service
    adds one, but not past the rooms now in service on nights that never went down (unless staff
    had set sellable above them on purpose). Rows are locked in the global (room_type, night)
    order like every inventory write. Returns rows changed.
    """
    if delta == 0:
        return 0
    with transaction.atomic():
        rows = lock_rows(Q(room_type_id=room_type_id, night__gte=from_night))
        if not rows:
            return 0
        if delta > 0:
            in_service = rooms_in_service([room_type_id]).get(room_type_id, 0)
            target = Least(F("sellable") + delta, Greatest(F("sellable"), Value(in_service)))
        else:
            target = Greatest(F("sellable") + delta, F("sold") + F("held"))
        return Inventory.objects.filter(pk__in=[row["id"] for row in rows]).update(sellable=target)


def room_save(*, room: Room, previous: tuple[int, bool] | None) -> Room:
    """Save a room and follow a change of service (or of room type) on the nights from today.

    ``previous`` is the room's (room_type_id, in_service) before the change, None for a new room.
    """
    with transaction.atomic():
        room.full_clean()
        room.save()
        today = local_today(room.property.timezone)
        old_type, old_in_service = previous if previous else (room.room_type_id, False)
        changes: dict[int, int] = {}
        if old_in_service:
            changes[old_type] = changes.get(old_type, 0) - 1
        if room.in_service:
            changes[room.room_type_id] = changes.get(room.room_type_id, 0) + 1
        for room_type_id in sorted(changes):  # the global lock order
            inventory_rooms_changed(room_type_id=room_type_id, delta=changes[room_type_id], from_night=today)
    return room


def room_housekeeping_set(*, room_id: int, status: str) -> Room:
    """Front desk and housekeeping change a room's status (check-out: dirty; cleaned: clean).

    Through ``room_save``, so taking a room out of order (or back) moves sellable on the nights ahead.
    """
    if status not in Room.Housekeeping.values:
        raise ValidationFailed("Unknown housekeeping status.", code="invalid_status", extra={"field": "status"})
    with transaction.atomic():
        room = lock_one(Room.objects.select_related("property").filter(pk=room_id))
        if room is None:
            raise NotFound(f"No room {room_id}.", code="room_not_found", extra={"field": "room_id"})
        previous = (room.room_type_id, room.in_service)
        if room.housekeeping_status == status:
            return room
        room.housekeeping_status = status
        return room_save(room=room, previous=previous)
