"""The kernel's input rules, exactly: what passes, what is refused, with which code."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from booking_platform.errors import ValidationFailed
from booking_platform.validation import (
    clean_amount,
    clean_currency,
    clean_language,
    clean_text,
    currency_codes,
    validate_language_tag,
    validate_multiline_text,
    validate_single_line,
)


@pytest.mark.parametrize(
    ("value", "multiline", "expected"),
    [
        ("  Zoë Łukasz 李  ", False, "Zoë Łukasz 李"),
        ("one\r\ntwo\rthree\tfour ", True, "one\ntwo\nthree\tfour"),
        (None, False, ""),
        ("👩‍👩‍👧 family", False, "👩‍👩‍👧 family"),  # ZWJ (format character) is fine
    ],
)
def test_clean_text_keeps_real_text(value, multiline: bool, expected: str) -> None:
    assert clean_text(value, field="f", max_length=50, multiline=multiline) == expected


@pytest.mark.parametrize(
    ("value", "multiline", "code"),
    [
        ("a\x00b", True, "invalid_characters"),
        ("a\ud800b", True, "invalid_characters"),
        ("a\udfffb", False, "invalid_characters"),
        ("a\x1bb", True, "invalid_characters"),
        ("a\x7fb", False, "invalid_characters"),
        ("a\nb", False, "invalid_characters"),
        ("a\rb", False, "invalid_characters"),
        ("a\u2029b", False, "invalid_characters"),
        ("a\u0085b", False, "invalid_characters"),
        ("x" * 51, False, "too_long"),
        (b"bytes", False, "invalid"),
        (7, False, "invalid"),
    ],
)
def test_clean_text_refusals(value, multiline: bool, code: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        clean_text(value, field="guest_name", max_length=50, multiline=multiline)
    assert (caught.value.code, caught.value.extra) == (code, {"field": "guest_name"})


def test_required_text() -> None:
    with pytest.raises(ValidationFailed) as caught:
        clean_text("   ", field="name", max_length=5, required=True)
    assert caught.value.code == "required"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("en", "en"), ("DE", "de"), (" de-AT ", "de-at"), ("zh-Hant", "zh-hant"), ("pt-BR", "pt-br"), ("", "en")],
)
def test_known_languages(value: str, expected: str) -> None:
    assert clean_language(value) == expected


@pytest.mark.parametrize("value", ["en\nBcc: x@y", "xx", "und", "english", "de-AT-1996x", "de_AT", "ελ", "e1", 3])
def test_unknown_languages(value) -> None:
    with pytest.raises(ValidationFailed) as caught:
        clean_language(value)
    assert caught.value.extra == {"field": "language"}
    assert caught.value.code in {"invalid_language", "invalid"}


def test_currencies_are_legal_tender_only() -> None:
    codes = currency_codes()
    assert {"EUR", "USD", "JPY", "CHF", "XOF", "XAF", "XPF"} <= codes
    assert not {"XXX", "XTS", "XAU", "XAG", "XDR", "DEM", "FRF"} & codes
    assert clean_currency(" eur ") == "EUR"
    for bad in ("XXX", "EU", "", None, "E\x00R"):
        with pytest.raises(ValidationFailed) as caught:
            clean_currency(bad)
        assert (caught.value.code, caught.value.extra) == ("invalid_currency", {"field": "currency"})


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (Decimal("NaN"), "invalid_amount"),
        ("-Infinity", "invalid_amount"),
        (1.5, "invalid_amount"),
        (True, "invalid_amount"),
        ("1.001", "invalid_amount"),
        ("", "invalid_amount"),
        ("-0.01", "out_of_range"),
        ("100.01", "out_of_range"),
    ],
)
def test_amount_refusals(value, code: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        clean_amount(value, field="price", minimum=Decimal(0), maximum=Decimal(100))
    assert (caught.value.code, caught.value.extra) == (code, {"field": "price"})


def test_amounts_within_bounds() -> None:
    bounds = {"field": "price", "minimum": Decimal(0), "maximum": Decimal(100)}
    assert clean_amount(" 99.90 ", **bounds) == Decimal("99.90")
    assert clean_amount(0, **bounds) == Decimal(0)
    assert clean_amount(None, allow_none=True, **bounds) is None


def test_field_validators_match_the_service_rules() -> None:
    validate_single_line("Grand Hotel")
    validate_multiline_text("Line one\r\nLine two")
    validate_language_tag("de-at")
    for validator, value in (
        (validate_single_line, "Grand\r\nHotel"),
        (validate_multiline_text, "a\x00"),
        (validate_language_tag, "en\nBcc: x@y"),
    ):
        with pytest.raises(ValidationError):
            validator(value)
