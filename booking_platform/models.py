"""Kernel models live in their packages; Django finds them here."""

from booking_platform.events.models import OutboxEvent

__all__ = ["OutboxEvent"]
