"""Refusals specific to bookings; each has a stable code the API and web UI map."""

from __future__ import annotations

from booking_platform.errors import ApplicationError, Conflict, NotFound


class InvalidTransition(Conflict):
    """The booking's status does not allow this action; nothing was changed."""

    code = "invalid_transition"


class StaleVersion(Conflict):
    """Someone changed the booking since the caller read it."""

    code = "stale_version"


class BookingNotFound(NotFound):
    code = "booking_not_found"


class TooEarly(ApplicationError):
    """The action depends on the property-local date, which has not come yet."""

    code = "too_early"
    http_status = 409


class NoRoomAvailable(ApplicationError):
    code = "no_room_available"
    http_status = 409


class RoomNotAssignable(ApplicationError):
    """Staff asked for a room the booking cannot have; the code says why. Nothing was changed.

    Codes: room_wrong_property, room_type_mismatch, room_out_of_order, room_taken, rooms_already_assigned.
    """

    code = "room_not_assignable"
    http_status = 409
