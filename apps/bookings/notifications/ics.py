"""The stay as an iCalendar event, so the guest's calendar shows check-in to check-out."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils.translation import ngettext

from apps.bookings.notifications.context import BookingView


def stay_calendar(view: BookingView, *, sequence: int, cancelled: bool = False) -> bytes:
    """One VEVENT, UID stable per booking; SEQUENCE rises with each change so calendars update it.

    The description is in the active language (the guest email renders it under the guest's language).
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//booking_platform//bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    stay = icalendar.Event()
    stay.add("uid", f"{view.reference}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}")
    stay.add("sequence", sequence)
    stay.add("dtstamp", datetime.now(UTC))
    stay.add("dtstart", view.local(view.check_in, view.prop.check_in_time))
    stay.add("dtend", view.local(view.check_out, view.prop.check_out_time))
    stay.add("summary", f"{view.prop.name} ({view.reference})")
    location = ", ".join(part for part in (view.prop.name, view.prop.city, view.prop.country) if part)
    stay.add("location", location)
    description = ngettext(
        "%(rooms)s, %(nights)d night. Manage your booking: %(url)s",
        "%(rooms)s, %(nights)d nights. Manage your booking: %(url)s",
        view.nights,
    ) % {"rooms": view.room_summary, "nights": view.nights, "url": view.lookup_url}
    stay.add("description", description)
    stay.add("url", view.lookup_url)
    stay.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(stay)
    calendar.add_missing_timezones()
    return calendar.to_ical()
