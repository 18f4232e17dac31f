"""Words and numbers as a guest reads them, in the active language."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.availability.interface import OfferProblem, PropertyInfo

FEW_LEFT = 3  # "only N left" from this many down


def money(amount: Decimal | None, currency: str) -> str:
    """ "1,234.50 EUR" / "1.234,50 EUR" / "1 234,50 EUR": grouping and decimals follow the language."""
    if amount is None:
        return ""
    return f"{formats.number_format(amount, decimal_pos=2, force_grouping=True)} {currency}".strip()


def night(day) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day else ""


def problem_text(problem: OfferProblem) -> str:
    """Availability words its reasons in English; the guest reads them in the page's language."""
    count = re.search(r"\d+", problem.message)
    # Translators: a Django date format for a night in a reason ("Sold out on 24 Dec 2026"); escape letters with \\.
    when = formats.date_format(problem.night, pgettext("night in reasons", "j M Y")) if problem.night else ""
    texts = {
        "sold_out": _("Sold out on %(night)s.") % {"night": when},
        "closed": _("Not for sale on %(night)s.") % {"night": when},
        "closed_to_arrival": _("No arrivals on %(night)s.") % {"night": when},
        "closed_to_departure": _("No departures on %(night)s.") % {"night": when},
        "too_many_guests": _("Too many guests for this room."),
    }
    if problem.code == "min_stay" and count:
        return _("Minimum stay %(nights)s nights.") % {"nights": count.group()}
    if problem.code == "max_stay" and count:
        return _("Maximum stay %(nights)s nights.") % {"nights": count.group()}
    return texts.get(problem.code, problem.message)


def place_label(prop: PropertyInfo) -> str:
    return ", ".join(part for part in (prop.address, prop.city) if part)
