"""Service refusals shown where the guest can act on them: on the field they name, in the page's language."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from booking_platform.errors import ApplicationError

# Stable codes from the services, said again in the active language; anything else keeps the service's words.
CODE_TEXT = {
    "check_in_in_past": lambda: _("Check-in is in the past at the hotel."),
    "check_out_not_after_check_in": lambda: _("Check-out must be after check-in."),
    "stay_too_long": lambda: _("This stay is too long to book online."),
    "too_many_guests": lambda: _("Too many guests for this room."),
    "not_available": lambda: _("Sorry, this room was just taken for some of your nights."),
    "hold_expired": lambda: _("Your reservation was held for a limited time and has lapsed."),
    "stale_version": lambda: _("This booking was changed meanwhile; please look at it again."),
    "invalid_transition": lambda: _("This booking cannot be changed any more."),
}
FIELD_ALIASES = {"property_id": "where", "units": "rooms", "rooms": "rooms"}


def error_text(exc: ApplicationError) -> str:
    text = CODE_TEXT.get(exc.code)
    return text() if text else exc.message


def add_service_error(form: forms.Form, exc: ApplicationError) -> None:
    """On the named field when the form has it, else at the top of the form."""
    field = FIELD_ALIASES.get(str(exc.extra.get("field", "")), str(exc.extra.get("field", "")))
    form.add_error(field if field in form.fields else None, error_text(exc))
