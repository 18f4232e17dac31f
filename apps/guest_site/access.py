"""Who may see a booking on the guest site, and how hard guessing is made.

A browser session is granted a booking when it made the hold, looked the booking up by
reference AND email, or opened the secret link from the confirmation email (checked in
constant time by bookings). The reference alone never grants anything. A wrong reference,
a wrong email and a wrong secret all get one and the same answer, and failures are counted
per client in the cache: after GUEST_LOOKUP_ATTEMPTS within GUEST_LOOKUP_WINDOW seconds the
client is refused until the window passes, so references cannot be probed.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare

from apps.bookings import interface as bookings
from apps.bookings.interface import BookingInfo
from apps.customers import interface as customers
from booking_platform.errors import NotFound

SESSION_KEY = "guest_site.bookings"
MAX_GRANTS = 20


def grant(request: HttpRequest, booking_id: int) -> None:
    ids = [i for i in request.session.get(SESSION_KEY, []) if i != booking_id]
    request.session[SESSION_KEY] = [*ids, booking_id][-MAX_GRANTS:]
    request.session.cycle_key()  # more rights, new session id (no fixation)


def granted_booking(request: HttpRequest, reference: str) -> BookingInfo | None:
    """The booking behind the reference, if this session may see it; else None (whether or not it exists)."""
    if not request.session.get(SESSION_KEY):
        return None
    try:
        booking = bookings.find_booking(reference)
    except NotFound:
        return None
    return booking if booking.id in request.session.get(SESSION_KEY, []) else None


def _client_key(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    return "guest_site:lookup:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def throttled(request: HttpRequest) -> bool:
    return int(cache.get(_client_key(request), 0)) >= settings.GUEST_LOOKUP_ATTEMPTS


def count_failure(request: HttpRequest) -> None:
    key = _client_key(request)
    if not cache.add(key, 1, timeout=settings.GUEST_LOOKUP_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=settings.GUEST_LOOKUP_WINDOW)


def booking_for_guest(*, reference: str, email: str) -> BookingInfo | None:
    """Reference and the booking guest's email, both right; None otherwise (no hint which was wrong)."""
    try:
        booking = bookings.find_booking(reference)
        guest = customers.get_customer(booking.customer_id)
    except NotFound:
        return None
    return booking if constant_time_compare(guest.email, email.strip().lower()) else None


def booking_by_secret(*, reference: str, token: str) -> BookingInfo | None:
    try:
        booking = bookings.find_booking(reference)
    except NotFound:
        return None
    valid = bookings.manage_token_valid(booking_id=booking.id, reference=booking.reference, token=token)
    return booking if valid else None
