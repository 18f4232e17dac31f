"""Request bodies and small readers shared by the partner API tests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from apps.availability import interface as availability
from apps.bookings.tests.factories import Hotel

ARRIVAL = date(2030, 3, 10)


def stay_body(hotel: Hotel, *, nights: int = 2, rooms: int = 1, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "property": availability.get_property(hotel.property_id).slug,
        "check_in": ARRIVAL.isoformat(),
        "check_out": (ARRIVAL + timedelta(days=nights)).isoformat(),
        "rooms": [
            {"room_type_id": hotel.room_type_id, "rate_plan_id": hotel.rate_plan_id, "adults": 2} for _ in range(rooms)
        ],
        "guest": {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"},
        "partner_reference": "ACME-1",
    }
    body.update(overrides)
    return body
