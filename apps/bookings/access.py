"""The secret in a guest's "manage your booking" link.

The reference is read out on the phone and shown to staff, so it never grants access on its
own. The link carries an HMAC over the booking id and reference (keyed by SECRET_KEY, no column
to store or leak), in its query string, which access logs leave out; it is checked in constant
time. Rotating SECRET_KEY retires every old link, after which the guest looks the booking up by
reference and email.
"""

from __future__ import annotations

from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "apps.bookings.access.manage-link"
TOKEN_LENGTH = 32  # hex digits: 128 bits


def manage_token(*, booking_id: int, reference: str) -> str:
    return salted_hmac(SALT, f"{booking_id}:{reference}", algorithm="sha256").hexdigest()[:TOKEN_LENGTH]


def manage_token_valid(*, booking_id: int, reference: str, token: str) -> bool:
    return constant_time_compare(manage_token(booking_id=booking_id, reference=reference), token or "")
