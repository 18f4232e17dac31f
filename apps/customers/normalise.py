"""Input normalisation for profiles: one canonical email and E.164 phone numbers."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from booking_platform.errors import ValidationFailed


def normalise_email(raw: str) -> str:
    """Lower-case the whole address so "Anna@X.com" and "anna@x.com" are one guest."""
    email = (raw or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationFailed("Enter a valid email address.", extra={"field": "email"}) from exc
    return email


def normalise_phone(raw: str, *, country: str = "") -> str:
    """Return E.164 ("+4930123456") or "" for no phone; national numbers use the guest's country."""
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, (country or "").upper() or None)
    except phonenumbers.NumberParseException as exc:
        raise ValidationFailed("Enter a valid phone number with country code.", extra={"field": "phone"}) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationFailed("Enter a valid phone number with country code.", extra={"field": "phone"})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_country(raw: str) -> str:
    country = (raw or "").strip().upper()
    if country and (len(country) != 2 or not country.isalpha()):
        raise ValidationFailed("Use a two-letter country code.", extra={"field": "country"})
    return country
