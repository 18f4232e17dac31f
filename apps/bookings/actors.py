"""Who acts on a booking: the kernel's Actor, re-exported where bookings code has always found it."""

from __future__ import annotations

from booking_platform.actors import SYSTEM, Actor, ActorKind

__all__ = ["SYSTEM", "Actor", "ActorKind"]
