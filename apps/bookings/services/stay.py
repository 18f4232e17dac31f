"""The stay itself: arrival (with a room), departure, and guests who never came."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.availability import interface as availability
from apps.bookings.actors import Actor
from apps.bookings.errors import NoRoomAvailable, TooEarly
from apps.bookings.models import Booking, BookingRoom, Status
from apps.bookings.records import save_change, snapshot
from apps.bookings.services.common import lock_booking, property_today, require_status
from booking_platform.db.retry import retry_on_deadlock


def _rooms_in_use(booking: Booking, *, today) -> set[int]:
    """Rooms other bookings occupy (in house, even past their departure date) or were promised for tonight."""
    tonight = Q(booking__status=Status.CONFIRMED, booking__check_in__lte=today, booking__check_out__gt=today)
    return set(
        BookingRoom.objects.filter(
            Q(booking__status=Status.CHECKED_IN) | tonight,
            booking__property_id=booking.property_id,
            assigned_room_id__isnull=False,
        )
        .exclude(booking=booking)
        .values_list("assigned_room_id", flat=True)
    )


def _claim_free_room(booking: Booking, line: BookingRoom, *, today, taken: set[int]) -> int:
    """Lock a free clean room of the line's type and make sure nobody took it meanwhile.

    The in-use check runs again after the room row is locked: a desk that gave the same room
    away has committed by then, so two arrivals never share a room.
    """
    while True:
        room = availability.free_clean_room(room_type_id=line.room_type_id, exclude_room_ids=taken)
        if room is None:
            raise NoRoomAvailable(
                f"No clean {line.room_type_name} room is free yet; check in again once housekeeping has one ready.",
                extra={"room_type_id": line.room_type_id},
            )
        availability.get_room(room.id, lock=True)
        if room.id not in _rooms_in_use(booking, today=today):
            return room.id
        taken.add(room.id)


def _assign_rooms(booking: Booking, *, today) -> None:
    taken = _rooms_in_use(booking, today=today)
    lines = list(booking.rooms.select_for_update().order_by("pk"))
    taken |= {line.assigned_room_id for line in lines if line.assigned_room_id}
    for line in lines:
        if line.assigned_room_id:
            continue
        line.assigned_room_id = _claim_free_room(booking, line, today=today, taken=taken)
        line.save(update_fields=["assigned_room_id"])
        taken.add(line.assigned_room_id)


@retry_on_deadlock
def booking_check_in(*, booking_id: int, actor: Actor, now: datetime | None = None) -> Booking:
    """From the arrival date (hotel time) on; every room line gets a free clean room if it has none."""
    with transaction.atomic():
        booking = lock_booking(booking_id, actor=actor)
        require_status(booking, action="checked in", allowed=(Status.CONFIRMED,))
        prop = availability.get_property(booking.property_id)
        now = now or timezone.now()
        today = property_today(prop, now)
        if today < booking.check_in:
            raise TooEarly("Check-in opens on the arrival date.", extra={"check_in": booking.check_in.isoformat()})
        if today >= booking.check_out:
            raise TooEarly("The stay is over; record a no-show instead.", code="stay_over")
        before = snapshot(booking)
        _assign_rooms(booking, today=today)
        booking.status = Status.CHECKED_IN
        booking.checked_in_at = now
        save_change(
            booking, action="checked_in", actor=actor, before=before, prop=prop, event_type="booking.checked_in"
        )
    return booking


@retry_on_deadlock
def booking_check_out(*, booking_id: int, actor: Actor, now: datetime | None = None) -> Booking:
    """The guest leaves. Leaving on hotel date D before the booked departure frees nights >= D for sale
    again (the room is empty tonight); the stay stays paid as booked and its dates are kept, while
    ``departed_on`` records D and the audit entry what went back to inventory.
    """
    with transaction.atomic():
        booking = lock_booking(booking_id, actor=actor)
        require_status(booking, action="checked out", allowed=(Status.CHECKED_IN,))
        prop = availability.get_property(booking.property_id)
        now = now or timezone.now()
        today = property_today(prop, now)
        before = snapshot(booking)
        released: dict[str, Any] = {}
        if today < booking.check_out:
            unit_nights = availability.release_inventory_from(key=booking.allocation_key, first_night=today)
            released = {"released_from": max(today, booking.check_in).isoformat(), "released_unit_nights": unit_nights}
        booking.status = Status.CHECKED_OUT
        booking.checked_out_at = now
        booking.departed_on = today
        save_change(
            booking,
            action="checked_out",
            actor=actor,
            before=before,
            prop=prop,
            event_type="booking.checked_out",
            audit_extra=released,
            departed_on=today.isoformat(),
        )
    return booking


@retry_on_deadlock
def booking_no_show(*, booking_id: int, actor: Actor, now: datetime | None = None) -> Booking:
    """Only once the arrival date has passed in hotel time; the nights stay sold."""
    with transaction.atomic():
        booking = lock_booking(booking_id, actor=actor)
        require_status(booking, action="marked as no-show", allowed=(Status.CONFIRMED,))
        prop = availability.get_property(booking.property_id)
        if property_today(prop, now) <= booking.check_in:
            raise TooEarly(
                "A no-show can be recorded only after the arrival date.",
                extra={"check_in": booking.check_in.isoformat()},
            )
        before = snapshot(booking)
        booking.status = Status.NO_SHOW
        save_change(booking, action="no_show", actor=actor, before=before, prop=prop, event_type="booking.no_show")
    return booking
