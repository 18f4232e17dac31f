"""Booking events -> messages: the guest, the property's admin team and its alert phones.

Importing this package (BookingsConfig.ready() does) registers the handlers; the kernel does the rest
(dedupe, order, Delivery rows, retries).
"""

from __future__ import annotations

_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    from apps.bookings.notifications import planning, rendering
    from booking_platform.notifications.registry import register_notifier

    rendering.register_renderers()
    register_notifier("bookings", planning.plan, event_types=planning.EVENT_TYPES)


register()
