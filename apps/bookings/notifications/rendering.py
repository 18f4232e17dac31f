"""Booking messages: guest emails (HTML + text, in the guest's language, .ics), admin email, SMS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.template import Context, Engine
from django.utils import translation
from django.utils.translation import gettext as _

from apps.bookings.notifications import planning
from apps.bookings.notifications.context import BookingView, booking_view
from apps.bookings.notifications.ics import stay_calendar
from booking_platform.events.types import Event
from booking_platform.notifications.registry import Attachment, EmailMessage, SmsMessage, register_renderer

ENGINE = Engine(
    dirs=[str(Path(__file__).resolve().parent / "templates")],
    libraries={"i18n": "django.templatetags.i18n", "l10n": "django.templatetags.l10n"},
)
VERB = {planning.CONFIRMED: "confirmed", planning.MODIFIED: "modified", planning.CANCELLED: "cancelled"}


def _render(name: str, context: dict[str, Any], *, autoescape: bool) -> str:
    template = ENGINE.get_template(name)
    return template.render(Context(context, autoescape=autoescape)).strip() + "\n"


def guest_language(view: BookingView) -> str:
    """The guest's language if we write it ("de-AT" and "de_AT" count as "de"), else LANGUAGE_CODE (English)."""
    wanted = (view.guest.language if view.guest and view.guest.language else view.language) or settings.LANGUAGE_CODE
    try:
        return translation.get_supported_language_variant(str(wanted).strip().replace("_", "-").lower())
    except LookupError:
        return settings.LANGUAGE_CODE


def _guest_subject(view: BookingView) -> str:
    if view.event_type == planning.CONFIRMED:
        # Translators: the subject of the booking confirmation email.
        return _("Your booking %(reference)s at %(hotel)s is confirmed") % {
            "reference": view.reference,
            "hotel": view.prop.name,
        }
    if view.event_type == planning.MODIFIED:
        return _("Your booking %(reference)s has been changed") % {"reference": view.reference}
    return _("Your booking %(reference)s has been cancelled") % {"reference": view.reference}


def render_guest_email(event: Event, recipient: str) -> EmailMessage:
    """Rendered inside translation.override(guest's language): subject, text, HTML, dates all follow it."""
    view = booking_view(event)
    language = guest_language(view)
    with translation.override(language):
        context = {"b": view, "kind": VERB[event.event_type], "lang": language}
        cancelled = event.event_type == planning.CANCELLED
        ics = stay_calendar(view, sequence=event.pk, cancelled=cancelled)
        return EmailMessage(
            subject=_guest_subject(view),
            text=_render("guest.txt", context, autoescape=False),
            html=_render("guest.html", context, autoescape=True),
            attachments=(Attachment(f"booking-{view.reference}.ics", ics, "text/calendar"),),
            reply_to=tuple(view.prop.admin_emails[:1]),
        )


def render_admin_email(event: Event, recipient: str) -> EmailMessage:
    """Staff read English; the admin link opens the booking in Django admin."""
    view = booking_view(event)
    with translation.override(settings.LANGUAGE_CODE):
        verb = VERB[event.event_type]
        subject = f"[{view.prop.name}] Booking {verb}: {view.reference}, {view.guest_name}, {view.check_in.isoformat()}"
        text = _render("admin.txt", {"b": view, "kind": verb}, autoescape=False)
        return EmailMessage(subject=subject, text=text)


def render_sms(event: Event, recipient: str) -> SmsMessage:
    """Short enough for two SMS segments; the admin link says the rest."""
    view = booking_view(event)
    verb = "NEW" if event.event_type == planning.CONFIRMED else "CANCELLED"
    return SmsMessage(
        text=(
            f"{view.prop.name}: {verb} booking {view.reference} {view.guest_name}, "
            f"{view.check_in.isoformat()} +{view.nights}n, {view.room_summary}, {view.total} {view.currency}"
        )
    )


def register_renderers() -> None:
    for kind in planning.GUEST_KIND.values():
        register_renderer(kind, render_guest_email)
    for kind in planning.ADMIN_KIND.values():
        register_renderer(kind, render_admin_email)
    for kind in planning.SMS_KIND.values():
        register_renderer(kind, render_sms)
