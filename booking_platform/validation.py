"""Rules for text, codes and amounts that arrive from guests, staff and partners, checked before anything is stored.

Why one module: PostgreSQL refuses NUL bytes (DataError) and JSON ``\\u0000``; a lone surrogate
cannot be encoded at all (UnicodeEncodeError); a CR/LF in a name ends up in email headers and
breaks every message that carries it. Services call the ``clean_*`` functions (ValidationFailed
with a stable code and ``extra={"field": ...}``); model fields use the ``validate_*`` functions,
so admin forms refuse exactly what the services refuse.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.core import Locale, UnknownLocaleError, get_global
from babel.numbers import get_territory_currencies
from django.core.exceptions import ValidationError

from booking_platform.errors import ValidationFailed

# Allowed inside multi-line text (special requests, descriptions); everything else in Cc is refused.
_MULTILINE_CONTROLS = frozenset("\n\r\t")
# Line and paragraph separators break a header or a one-line label just like CR/LF.
_LINE_BREAK_CATEGORIES = frozenset({"Zl", "Zp"})
LANGUAGE_MAX_LENGTH = 8


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """What is wrong with the characters of ``value`` (None if nothing): NUL, lone surrogates, controls."""
    for char in value:
        point = ord(char)
        if point == 0:
            return "must not contain NUL bytes"
        if 0xD800 <= point <= 0xDFFF:
            return "must not contain unpaired surrogate characters"
        category = unicodedata.category(char)
        if category == "Cc" and not (multiline and char in _MULTILINE_CONTROLS):
            return "must not contain control characters" if multiline else "must be one line without control characters"
        if category in _LINE_BREAK_CATEGORIES and not multiline:
            return "must be one line without control characters"
    return None


def _refuse(field: str, code: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, extra={"field": field})


def clean_text(value: object, *, field: str, max_length: int, multiline: bool = False, required: bool = False) -> str:
    """Strip ``value`` and refuse what no column or email header can carry; never truncates silently."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _refuse(field, "invalid", f"{field} must be text.")
    problem = text_problem(value, multiline=multiline)
    if problem:
        raise _refuse(field, "invalid_characters", f"{field} {problem}.")
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip() if multiline else value.strip()
    if required and not text:
        raise _refuse(field, "required", f"{field} is required.")
    if len(text) > max_length:
        raise _refuse(field, "too_long", f"{field} is at most {max_length} characters (got {len(text)}).")
    return text


def language_problem(tag: str) -> str | None:
    """A known language tag such as "en", "de-AT" or "zh-Hant" (Babel's CLDR data), at most 8 characters."""
    if not tag or len(tag) > LANGUAGE_MAX_LENGTH or not tag.replace("-", "").isalpha() or not tag.isascii():
        return "is not a language tag such as en or de-AT"
    try:
        locale = Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return "is not a known language"
    if locale.language != tag.split("-")[0].lower():  # "und" would silently become "en"
        return "is not a known language"
    return None


def clean_language(value: object, *, field: str = "language", default: str = "en") -> str:
    """The guest's language as a lower-case tag ("de-at"); empty means ``default``."""
    if value is None or value == "":
        return default
    if not isinstance(value, str):
        raise _refuse(field, "invalid", f"{field} must be text.")
    tag = value.strip().lower()
    problem = text_problem(tag) or language_problem(tag)
    if problem:
        raise _refuse(field, "invalid_language", f"{field} {problem}.")
    return tag


@lru_cache(maxsize=4)
def _currencies_on(day: date) -> frozenset[str]:
    territories = get_global("territory_currencies")
    codes: set[str] = set()
    for territory in territories:
        codes.update(get_territory_currencies(territory, day, tender=True, non_tender=False))
    return frozenset(codes)


def currency_codes() -> frozenset[str]:
    """ISO 4217 codes that are legal tender somewhere today (Babel/CLDR), so no XXX, XTS, XAU or DEM."""
    return _currencies_on(date.today())


def clean_currency(value: object, *, field: str = "currency") -> str:
    code = value.strip().upper() if isinstance(value, str) else ""
    if code not in currency_codes():
        raise _refuse(field, "invalid_currency", f"{field} must be an ISO 4217 currency code such as EUR.")
    return code


def clean_amount(
    value: object, *, field: str, minimum: Decimal, maximum: Decimal, places: int = 2, allow_none: bool = False
) -> Decimal | None:
    """A decimal amount within [minimum, maximum] with at most ``places`` decimals; floats are refused (inexact)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise _refuse(field, "invalid_amount", f"{field} must be a decimal number such as 120.00.")
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount.as_tuple().exponent < -places:  # type: ignore[operator]
        raise _refuse(field, "invalid_amount", f"{field} must be a number with at most {places} decimals.")
    if not minimum <= amount <= maximum:
        raise _refuse(field, "out_of_range", f"{field} must be between {minimum} and {maximum}.")
    return amount


def clean_int(value: object, *, field: str, minimum: int, maximum: int) -> int:
    """An integer (not a bool, not a string) within [minimum, maximum]."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _refuse(field, "invalid", f"{field} must be a whole number.")
    if not minimum <= value <= maximum:
        raise _refuse(field, "out_of_range", f"{field} must be between {minimum} and {maximum}.")
    return value


# --- Django field validators: the same rules for admin and any ModelForm ---


def validate_single_line(value: str) -> None:
    """Names and labels: one line, no control characters (they end up in email subjects)."""
    problem = text_problem(value)
    if problem:
        raise ValidationError(f"This {problem}.", code="invalid_characters")


def validate_multiline_text(value: str) -> None:
    """Free text: line breaks and tabs are fine; NUL, other controls and lone surrogates are not."""
    problem = text_problem(value, multiline=True)
    if problem:
        raise ValidationError(f"This {problem}.", code="invalid_characters")


def validate_language_tag(value: str) -> None:
    problem = text_problem(value) or language_problem(value)
    if problem:
        raise ValidationError(f"{value!r} {problem}.", code="invalid_language")


def validate_currency(value: str) -> None:
    if value not in currency_codes():
        raise ValidationError(f"{value!r} is not an ISO 4217 currency in use, such as EUR.", code="invalid_currency")
