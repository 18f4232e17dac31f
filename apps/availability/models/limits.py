"""Bounds on what staff may set: money, percentages and calendar nights.

One set of numbers for model validators, database CHECK constraints and the ARI services,
so admin, services and the API refuse the same values. Prices may be 0 (a complimentary
night; derived plans already floor at 0); "not for sale" is no price at all.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from booking_platform.validation import validate_single_line

ZERO = Decimal("0.00")
# A ceiling against typos in any currency: high enough for a suite priced in IDR or VND.
MAX_PRICE = Decimal("9999999.99")
MAX_CITY_TAX = Decimal("99999.99")
# VAT is included in prices; 99.99 % keeps the VAT share (tax / (100 + tax)) meaningful.
MAX_TAX_PERCENT = Decimal("99.99")
MAX_FEE_PERCENT = Decimal("100.00")
# A derived plan moves at most this far off its parent: -100 % is free, +1000 % is eleven times the price.
DERIVATION_PERCENT_RANGE = (Decimal("-100.00"), Decimal("1000.00"))
# Units of one room type on one night; far above any hotel, far below an integer overflow.
MAX_SELLABLE = 10000
# Free cancellation "N hours before arrival": a year at most, so a deadline is always a real date.
MAX_FREE_UNTIL_HOURS = 8760
# How far back staff may still correct ARI (yesterday's rates for a late booking, last year's audit).
PAST_DAYS = 366

price_validators = [MinValueValidator(ZERO), MaxValueValidator(MAX_PRICE)]
city_tax_validators = [MinValueValidator(ZERO), MaxValueValidator(MAX_CITY_TAX)]
tax_percent_validators = [MinValueValidator(ZERO), MaxValueValidator(MAX_TAX_PERCENT)]
fee_percent_validators = [MinValueValidator(ZERO), MaxValueValidator(MAX_FEE_PERCENT)]
stay_length_validators = [MinValueValidator(1)]
derivation_validators = [MinValueValidator(-MAX_PRICE), MaxValueValidator(MAX_PRICE)]
sellable_validators = [MinValueValidator(0), MaxValueValidator(MAX_SELLABLE)]
free_until_validators = [MaxValueValidator(MAX_FREE_UNTIL_HOURS)]


def horizon_days() -> int:
    """ARI_HORIZON_DAYS: how many days ahead nights may be priced, opened or sold."""
    return int(getattr(settings, "ARI_HORIZON_DAYS", 1830))


def night_window(today: date | None = None) -> tuple[date, date]:
    """The first and last night staff may set and guests may book, around ``today``."""
    today = today or timezone.now().date()
    return today - timedelta(days=PAST_DAYS), today + timedelta(days=horizon_days())


def validate_night(value: date) -> None:
    """Refuse nights like year 1 or 9999: they are typos, and they make every calendar read huge."""
    first, last = night_window()
    if not first <= value <= last:
        raise ValidationError(
            f"{value.isoformat()} is outside the calendar ({first.isoformat()} to {last.isoformat()}).",
            code="night_out_of_range",
        )


def validate_label_list(value: object) -> None:
    """A JSON list of one-line labels (amenities): no NUL, which PostgreSQL's jsonb refuses."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError('Enter a list of labels, e.g. ["wifi", "balcony"].', code="invalid")
    for item in value:
        if len(item) > 100:
            raise ValidationError(f"{item[:20]!r}... is longer than 100 characters.", code="too_long")
        validate_single_line(item)
