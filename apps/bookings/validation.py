"""Check what a guest, partner or desk sends before a booking is priced, taken or written.

Why here and first: a NUL byte or lone surrogate reached PostgreSQL as a DataError (or Python as a
UnicodeEncodeError) after inventory was already being taken; a CR/LF language was stored and later
read into email headers; special requests had no size limit and were copied into the audit trail.
Each refusal is a ValidationFailed naming the field, raised before anything is written.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from booking_platform.errors import ValidationFailed
from booking_platform.validation import clean_int, clean_language, clean_text

if TYPE_CHECKING:  # the services call in here; the types are only for readers
    from apps.bookings.services.hold import StayRequest
    from apps.bookings.services.pricing import RoomRequest

SPECIAL_REQUESTS_MAX = 2000
PARTNER_REFERENCE_MAX = 64
GUEST_NAME_MAX = 200
MAX_ID = 2**63 - 1
MAX_GUESTS = 20


def clean_dates(**dates: Any) -> None:
    """Stay dates are dates (not datetimes or strings); None means "keep" where the caller allows it."""
    for name, value in dates.items():
        if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
            raise ValidationFailed(f"{name} must be a date (YYYY-MM-DD).", code="invalid_date", extra={"field": name})


def clean_rooms(rooms: object) -> tuple[RoomRequest, ...]:
    """Every room line: integer ids and guest counts, a one-line guest name (fields named ``rooms[i].x``)."""
    if isinstance(rooms, str | bytes) or not isinstance(rooms, Sequence):
        rooms = ()
    cleaned = []
    for index, room in enumerate(rooms):
        where = f"rooms[{index}]"
        if not dataclasses.is_dataclass(room) or isinstance(room, type) or not hasattr(room, "guest_name"):
            raise ValidationFailed("Each room must be a RoomRequest.", extra={"field": where})
        for name in ("room_type_id", "rate_plan_id"):
            clean_int(getattr(room, name), field=f"{where}.{name}", minimum=1, maximum=MAX_ID)
        clean_int(room.adults, field=f"{where}.adults", minimum=1, maximum=MAX_GUESTS)
        clean_int(room.children, field=f"{where}.children", minimum=0, maximum=MAX_GUESTS)
        name = clean_text(room.guest_name, field=f"{where}.guest_name", max_length=GUEST_NAME_MAX)
        cleaned.append(dataclasses.replace(room, guest_name=name))
    return tuple(cleaned)


def clean_stay_request(request: StayRequest) -> StayRequest:
    """A copy of the request with its text stripped and checked and its language normalised."""
    clean_int(request.property_id, field="property_id", minimum=1, maximum=MAX_ID)
    clean_int(request.customer_id, field="customer_id", minimum=1, maximum=MAX_ID)
    for name in ("check_in", "check_out"):
        if getattr(request, name) is None:
            raise ValidationFailed(f"{name} is required.", code="invalid_date", extra={"field": name})
    clean_dates(check_in=request.check_in, check_out=request.check_out)
    if request.partner_id is not None:
        clean_int(request.partner_id, field="partner_id", minimum=1, maximum=MAX_ID)
    return dataclasses.replace(
        request,
        rooms=clean_rooms(request.rooms),
        language=clean_language(request.language),
        special_requests=clean_text(
            request.special_requests,
            field="special_requests",
            max_length=SPECIAL_REQUESTS_MAX,
            multiline=True,
        ),
        partner_reference=clean_text(
            request.partner_reference, field="partner_reference", max_length=PARTNER_REFERENCE_MAX
        ),
    )
