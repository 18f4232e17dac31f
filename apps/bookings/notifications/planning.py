"""Who is told about which booking event, on which channel."""

from __future__ import annotations

import logging

from apps.availability.interface import get_property
from apps.bookings.notifications.context import find_guest
from booking_platform.errors import NotFound
from booking_platform.events.history import earlier_event_exists
from booking_platform.events.types import Event
from booking_platform.notifications.registry import Planned

logger = logging.getLogger(__name__)

CONFIRMED, MODIFIED, CANCELLED = "booking.confirmed", "booking.modified", "booking.cancelled"
EVENT_TYPES = (CONFIRMED, MODIFIED, CANCELLED)
GUEST_KIND = {
    CONFIRMED: "booking.guest.confirmed",
    MODIFIED: "booking.guest.modified",
    CANCELLED: "booking.guest.cancelled",
}
ADMIN_KIND = {
    CONFIRMED: "booking.admin.confirmed",
    MODIFIED: "booking.admin.modified",
    CANCELLED: "booking.admin.cancelled",
}
SMS_KIND = {CONFIRMED: "booking.sms.confirmed", CANCELLED: "booking.sms.cancelled"}


def concerns_a_real_booking(event: Event) -> bool:
    """Holds that never became bookings are nobody's news: changes and cancellations of them are skipped."""
    if event.event_type == CONFIRMED:
        return True
    if event.event_type == MODIFIED and event.payload.get("status") == "confirmed":
        return True
    return earlier_event_exists(event, CONFIRMED)


def deliverable(address: str) -> bool:
    """Erased profiles keep a placeholder under the reserved .invalid domain (RFC 2606): never write to it."""
    return bool(address) and not address.lower().rstrip(".").endswith(".invalid")


def plan(event: Event) -> list[Planned]:
    """Guest first, then the property's admin team by email, then its alert phones by SMS."""
    if event.event_type not in EVENT_TYPES or not concerns_a_real_booking(event):
        return []
    try:
        prop = get_property(int(event.payload["property_id"]))
    except NotFound:
        logger.warning("booking event for an unknown property", extra={"event_id": str(event.event_id)})
        return []
    planned: list[Planned] = []
    guest = find_guest(event.payload.get("customer_id"))
    if guest is not None and deliverable(guest.email):
        planned.append(Planned(GUEST_KIND[event.event_type], "email", guest.email))
    admins = [address for address in prop.admin_emails if deliverable(address)]
    planned += [Planned(ADMIN_KIND[event.event_type], "email", address) for address in admins]
    if event.event_type in SMS_KIND:
        planned += [Planned(SMS_KIND[event.event_type], "sms", phone) for phone in prop.alert_phones]
    return planned
