"""Template filters for the guest pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.translation import pgettext

from apps.guest_site import presenters

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    return presenters.money(amount, currency)


@register.filter
def problem(value) -> str:
    return presenters.problem_text(value)


@register.filter
def long_date(day) -> str:
    """ "Monday 4 January 2027" / "Montag, 4. Januar 2027": the order and punctuation follow the language."""
    # Translators: a Django date format (docs: "date" template filter) for arrival and departure days.
    return formats.date_format(day, pgettext("long date", "l j F Y")) if day else ""


@register.filter
def short_date(day) -> str:
    """ "Mon 4 Jan" / "Mo., 4. Jan.": a night in a price table or a suggestion."""
    # Translators: a Django date format (docs: "date" template filter) for a night in a price table.
    return formats.date_format(day, pgettext("short date", "D j M")) if day else ""
