"""Refusals specific to bookings; each has a stable code the API and web UI map."""

from __future__ import annotations

from booking_platform.errors import Conflict, NotFound


class InvalidTransition(Conflict):
    """The booking's status does not allow this action; nothing was changed."""

    code = "invalid_transition"


class StaleVersion(Conflict):
    """Someone changed the booking since the caller read it."""

    code = "stale_version"


class BookingNotFound(NotFound):
    code = "booking_not_found"


class TooEarly(Conflict):
    """The action depends on the property-local date, which has not come yet."""

    code = "too_early"


class NoRoomAvailable(Conflict):
    code = "no_room_available"


class RoomNotAssignable(Conflict):
    """Staff asked for a room the booking cannot have; the code says why. Nothing was changed.

    Codes: room_wrong_property, room_type_mismatch, room_out_of_order, room_taken, rooms_already_assigned.
    """

    code = "room_not_assignable"
