"""Pieces several guest pages share: a booking as shown, the lookup answer, the "search again" link."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from apps.availability import interface as availability
from apps.bookings.interface import BookingInfo
from apps.customers import interface as customers
from apps.guest_site.forms import LookupForm
from booking_platform.errors import NotFound


def search_link(data: dict[str, Any]) -> str:
    """The results page for the same stay (no personal data: hotel, dates and head counts only)."""
    query = {
        "where": f"p{data.get('property') or data.get('property_id')}",
        "check_in": data["check_in"].isoformat(),
        "check_out": data["check_out"].isoformat(),
        "adults": data.get("adults", 2),
        "children": data.get("children", 0),
        "rooms": data.get("rooms", 1),
    }
    return f"{reverse('guest_site:results')}?{urlencode(query)}"


def booking_context(booking: BookingInfo) -> dict[str, Any]:
    hotel = availability.get_property(booking.property_id)
    try:
        guest = customers.get_customer(booking.customer_id)
    except NotFound:
        guest = None
    policy = availability.CancellationPolicy.from_dict(booking.cancellation_policy)
    terms = policy.describe(check_in=booking.check_in, check_in_time=hotel.check_in_time, timezone=hotel.timezone)
    first = booking.rooms[0] if booking.rooms else None
    stay = {
        "property": booking.property_id, "check_in": booking.check_in, "check_out": booking.check_out,
        "adults": first.adults if first else 2, "children": first.children if first else 0,
        "rooms": len(booking.rooms) or 1,
    }  # fmt: skip
    return {
        "booking": booking,
        "hotel": hotel,
        "guest": guest,
        "terms": terms,
        "nights": (booking.check_out - booking.check_in).days,
        "search_url": search_link(stay),
        "room_words": " · ".join(filter(None, (first.room_type_name, first.rate_plan_name))) if first else "",
        "adults": stay["adults"],
        "children": stay["children"],
        "rooms": stay["rooms"],
        "lapsed": booking.status == "held" and (booking.expires_at is None or booking.expires_at <= timezone.now()),
    }


def lookup_page(
    request: HttpRequest, *, reference: str = "", form: LookupForm | None = None, error: str = "", status: int = 200
) -> HttpResponse:
    """The one answer for "not yours, not found or wrong secret": the lookup form, reference kept."""
    form = form or LookupForm(initial={"reference": reference})
    return render(request, "guest_site/lookup.html", {"form": form, "error": error}, status=status)


def expired_page(request: HttpRequest, booking: BookingInfo) -> HttpResponse:
    return render(request, "guest_site/expired.html", booking_context(booking), status=410)
