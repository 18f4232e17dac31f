"""Kernel models live in their packages; Django finds them here."""

from booking_platform.events.models import OutboxEvent, ProcessedEvent
from booking_platform.notifications.models import Delivery

__all__ = ["Delivery", "OutboxEvent", "ProcessedEvent"]
