"""Input normalisation for profiles: one canonical email, E.164 phone numbers, one-line names, a known language."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from booking_platform.errors import ValidationFailed
from booking_platform.validation import clean_language, clean_text

NAME_MAX = 100


def normalise_email(raw: str) -> str:
    """Lower-case the whole address so "Anna@X.com" and "anna@x.com" are one guest."""
    email = clean_text(raw, field="email", max_length=254).lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationFailed("Enter a valid email address.", extra={"field": "email"}) from exc
    return email


def normalise_phone(raw: str, *, country: str = "") -> str:
    """Return E.164 ("+4930123456") or "" for no phone; national numbers use the guest's country."""
    text = clean_text(raw, field="phone", max_length=40)
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
    country = clean_text(raw, field="country", max_length=100).upper()
    if country and (len(country) != 2 or not country.isalpha()):
        raise ValidationFailed("Use a two-letter country code.", extra={"field": "country"})
    return country


def normalise_name(raw: str, *, field: str) -> str:
    """A first or last name: one line (it is printed in email greetings), at most 100 characters."""
    return clean_text(raw, field=field, max_length=NAME_MAX)


def normalise_language(raw: str) -> str:
    """A known language tag in lower case ("de-at"); empty means English."""
    return clean_language(raw, field="language")
