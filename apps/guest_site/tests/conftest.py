"""Two hotels in one city with a fortnight open from the hotel's today, and helpers that walk the pages."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client

from apps.availability.interface import local_today
from apps.bookings.interface import StayRequest, book
from apps.bookings.tests.factories import Hotel, make_hotel

TZ = "Europe/Berlin"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()  # throttle counters and form claims never leak between tests


@pytest.fixture
def today() -> date:
    return local_today(TZ)


@pytest.fixture
def hotel(db, today: date) -> Hotel:
    return make_hotel(start=today, nights=14, sellable=2, timezone=TZ)


@pytest.fixture
def sister(db, today: date, hotel: Hotel) -> Hotel:
    return make_hotel(start=today, nights=14, sellable=2, timezone=TZ)


def search_url(where: str, check_in: date, nights: int = 2, adults: int = 2, children: int = 0, rooms: int = 1) -> str:
    check_out = check_in + timedelta(days=nights)
    query = {"where": where, "check_in": check_in.isoformat(), "check_out": check_out.isoformat(),
             "adults": adults, "children": children, "rooms": rooms}  # fmt: skip
    return f"/search/?{urlencode(query)}"


def offer(hotel: Hotel, check_in: date, nights: int = 2, *, rooms: int = 1, adults: int = 2) -> dict[str, object]:
    return {
        "property": hotel.property_id, "room_type": hotel.room_type_id, "rate_plan": hotel.rate_plan_id,
        "check_in": check_in.isoformat(), "check_out": (check_in + timedelta(days=nights)).isoformat(),
        "adults": adults, "children": 0, "rooms": rooms,
    }  # fmt: skip


GUEST = {
    "first_name": "Mira",
    "last_name": "Okafor",
    "email": "mira@guest.example",
    "phone": "+49 30 901820",
    "country": "DE",
    "special_requests": "Quiet room, please.",
}


def form_token(client: Client, params: dict[str, object]) -> str:
    page = client.get(f"/book/?{urlencode(params)}")
    assert page.status_code == 200
    found = re.search(r'name="form_token" value="([^"]+)"', page.content.decode())
    assert found
    return found.group(1)


def hold(client: Client, params: dict[str, object], **guest: str) -> str:
    """Fill and send the details form; returns the booking reference the hold page shows."""
    token = form_token(client, params)
    response = client.post("/book/", {**params, **GUEST, **guest, "form_token": token})
    assert response.status_code == 302, response.content.decode()[:2000]
    match = re.fullmatch(r"/bookings/([A-Z0-9-]+)/", response["Location"])
    assert match
    return match.group(1)


def book_rooms(hotel: Hotel, night: date, *, nights: int, count: int, room_type_id: int | None = None) -> None:
    """Another guest books ``count`` rooms through the bookings interface (the hotel's test guest)."""
    request = StayRequest(
        property_id=hotel.property_id, customer_id=hotel.guest_id, check_in=night,
        check_out=night + timedelta(days=nights), rooms=hotel.rooms(count, room_type_id=room_type_id), channel="web",
    )  # fmt: skip
    book(request=request, actor=hotel.guest)
