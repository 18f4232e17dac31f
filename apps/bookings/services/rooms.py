"""Staff give a booking a particular room (a guest's wish, a room move), never one someone else has."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from apps.availability import interface as availability
from apps.bookings.actors import Actor
from apps.bookings.errors import RoomNotAssignable
from apps.bookings.models import ActorKind, Booking, BookingRoom, Status
from apps.bookings.records import save_change, snapshot
from apps.bookings.services.common import lock_booking, require_status
from booking_platform.db.retry import retry_on_deadlock
from booking_platform.errors import PermissionDenied

OUT_OF_ORDER = "out_of_order"  # availability's housekeeping status for a room that cannot be sold


def _check_room(booking: Booking, room: availability.RoomInfo) -> None:
    if room.property_id != booking.property_id:
        raise RoomNotAssignable(f"Room {room.room_number} belongs to another property.", code="room_wrong_property")
    if room.housekeeping_status == OUT_OF_ORDER:
        raise RoomNotAssignable(f"Room {room.room_number} is out of order.", code="room_out_of_order")


def _holder(booking: Booking, room_id: int) -> str | None:
    """The reference of another booking that has the room for one of our nights, or is in house in it
    while our guest is (an in-house guest occupies the room until checked out, whatever the dates)."""
    overlapping = Q(booking__check_in__lt=booking.check_out, booking__check_out__gt=booking.check_in)
    claims = Q(booking__status__in=(Status.CONFIRMED, Status.CHECKED_IN)) & overlapping
    if booking.status == Status.CHECKED_IN:
        claims |= Q(booking__status=Status.CHECKED_IN)
    others = BookingRoom.objects.filter(claims, assigned_room_id=room_id).exclude(booking_id=booking.pk)
    return others.order_by("pk").values_list("booking__reference", flat=True).first()


def _line_for(booking: Booking, room: availability.RoomInfo) -> BookingRoom | None:
    """The line to give the room: the first of the room's type without one, or the only line of that type.

    Returns None when the room is already this booking's (nothing to do).
    """
    lines = list(booking.rooms.select_for_update().filter(room_type_id=room.room_type_id).order_by("pk"))
    if not lines:
        raise RoomNotAssignable(
            f"Room {room.room_number} is not of a room type this booking has.",
            code="room_type_mismatch",
            extra={"room_type_id": room.room_type_id},
        )
    if any(line.assigned_room_id == room.id for line in lines):
        return None
    free = [line for line in lines if line.assigned_room_id is None]
    if free:
        return free[0]
    if len(lines) == 1:
        return lines[0]  # a room move
    raise RoomNotAssignable(
        f"Every {lines[0].room_type_name} room of this booking already has a room.", code="rooms_already_assigned"
    )


@retry_on_deadlock
def booking_assign_room(*, booking_id: int, room_id: int, actor: Actor) -> Booking:
    """Staff give a confirmed or in-house booking a particular room of its type (RoomNotAssignable: nothing
    changed). The room row is locked so two desks cannot hand one room out twice; audited, no event."""
    if actor.kind not in (ActorKind.STAFF, ActorKind.SYSTEM):
        raise PermissionDenied("Only staff assign rooms.", code="staff_only")
    with transaction.atomic():
        booking = lock_booking(booking_id, actor=actor)
        require_status(booking, action="given a room", allowed=(Status.CONFIRMED, Status.CHECKED_IN))
        room = availability.get_room(room_id, lock=True)
        _check_room(booking, room)
        line = _line_for(booking, room)
        if line is None:
            return booking  # already this booking's room
        holder = _holder(booking, room.id)
        if holder is not None:
            raise RoomNotAssignable(
                f"Room {room.room_number} is taken by booking {holder}.", code="room_taken", extra={"booking": holder}
            )
        before = snapshot(booking)
        line.assigned_room_id = room.id
        line.save(update_fields=["assigned_room_id"])
        save_change(
            booking,
            update_fields=["version", "updated_at"],
            action="room_assigned",
            actor=actor,
            before=before,
            prop=availability.get_property(booking.property_id),
        )
    return booking
