"""Change a booking's dates, rooms, rate plans or guests in one step that either fully happens or not at all."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from apps.availability import interface as availability
from apps.bookings.actors import Actor
from apps.bookings.domain import RoomRequest
from apps.bookings.errors import StaleVersion
from apps.bookings.models import Booking, Status
from apps.bookings.records import save_change, snapshot
from apps.bookings.services.common import lock_booking, require_status
from apps.bookings.services.pricing import Priced, apply_totals, inventory_items, price_rooms, write_lines
from apps.bookings.validation import clean_dates, clean_rooms
from booking_platform.db.retry import retry_on_deadlock
from booking_platform.errors import ValidationFailed


def current_rooms(booking: Booking) -> list[RoomRequest]:
    return [
        RoomRequest(
            room_type_id=room.room_type_id,
            rate_plan_id=room.rate_plan_id,
            adults=room.adults,
            children=room.children,
            guest_name=room.guest_name,
        )
        for room in booking.rooms.all()
    ]


def _swap_inventory(booking: Booking, *, check_in: date, check_out: date, rooms: Sequence[RoomRequest]) -> None:
    """Take the new allocation under a new key BEFORE giving back the old one (both sets already locked)."""
    new_key = f"{booking.reference}#{booking.version + 1}"
    try:
        availability.take_inventory(
            key=new_key,
            items=inventory_items(
                check_in=check_in, check_out=check_out, room_type_ids=[r.room_type_id for r in rooms]
            ),
            hold_until=booking.expires_at if booking.status == Status.HELD else None,
        )
    except ValidationFailed as exc:
        if exc.code != "hold_until_past":
            raise
        # The hold lapsed while this change was being priced: the same answer as a moment later.
        raise availability.HoldExpired("The hold has expired; please search again.") from exc
    availability.release_inventory(key=booking.allocation_key)
    booking.allocation_key = new_key


def _reprice_and_move(
    booking: Booking,
    *,
    check_in: date,
    check_out: date,
    rooms: Sequence[RoomRequest],
    old_rooms: Sequence[RoomRequest],
) -> Priced:
    """Quote the new stay and move the units to a new allocation key."""
    same_nights = (check_in, check_out) == (booking.check_in, booking.check_out) and sorted(
        r.room_type_id for r in rooms
    ) == sorted(r.room_type_id for r in old_rooms)
    if same_nights:
        # Only guests or rate plan change: give our units back first (their rows stay locked by this
        # transaction), so the re-quote does not count the booking against itself.
        availability.release_inventory(key=booking.allocation_key)
    priced = price_rooms(
        property_id=booking.property_id, check_in=check_in, check_out=check_out, rooms=rooms, channel=booking.channel
    )
    _swap_inventory(booking, check_in=check_in, check_out=check_out, rooms=rooms)
    return priced


def _check_modifiable(booking: Booking, *, expected_version: int) -> None:
    require_status(booking, action="modified", allowed=(Status.HELD, Status.CONFIRMED))
    if booking.version != expected_version:
        raise StaleVersion(
            "The booking was changed meanwhile; reload it and try again.",
            extra={"expected_version": expected_version, "version": booking.version},
        )
    if booking.status == Status.HELD and booking.expires_at is not None and booking.expires_at <= timezone.now():
        raise availability.HoldExpired("The hold has expired; please search again.")


@retry_on_deadlock
def booking_modify(
    *,
    booking_id: int,
    actor: Actor,
    expected_version: int,
    check_in: date | None = None,
    check_out: date | None = None,
    rooms: Sequence[RoomRequest] | None = None,
) -> Booking:
    """Re-quote at today's prices and move the inventory; StaleVersion if someone changed it meanwhile.

    New nights are taken before the old ones are released, so a move that overlaps a night with no
    spare unit is refused. With the same nights and room types (guests or rate plan only), the units
    are exchanged in place, so such a change works on a sold-out night. Any refusal changes nothing.
    """
    clean_dates(check_in=check_in, check_out=check_out)
    if rooms is not None:
        rooms = clean_rooms(rooms)  # ids, guests and guest names checked before anything is locked
    with transaction.atomic():
        booking = lock_booking(booking_id, actor=actor)
        _check_modifiable(booking, expected_version=expected_version)
        old_rooms = current_rooms(booking)
        new_rooms = list(rooms) if rooms is not None else old_rooms
        new_in, new_out = check_in or booking.check_in, check_out or booking.check_out
        # One ordered lock pass over the old AND the new nights before any counter changes: taking the
        # new rows and then locking the old ones would hold a later row while waiting for an earlier one.
        availability.lock_inventory(
            keys=[booking.allocation_key],
            items=inventory_items(
                check_in=new_in, check_out=new_out, room_type_ids=[r.room_type_id for r in new_rooms]
            ),
        )
        before = snapshot(booking)
        previous = {
            "check_in": booking.check_in.isoformat(),
            "check_out": booking.check_out.isoformat(),
            "total": str(booking.total),
        }
        priced = _reprice_and_move(booking, check_in=new_in, check_out=new_out, rooms=new_rooms, old_rooms=old_rooms)
        booking.check_in, booking.check_out = new_in, new_out
        apply_totals(booking, priced)
        write_lines(booking, priced)
        save_change(
            booking,
            action="modified",
            actor=actor,
            before=before,
            event_type="booking.modified",
            prop=availability.get_property(booking.property_id),
            previous=previous,
        )
    return booking
