"""Kernel models live in their packages; Django finds them here."""

from booking_platform.events.models import OutboxEvent, ProcessedEvent
from booking_platform.notifications.models import Delivery
from booking_platform.staff.models import StaffAuditEntry, StaffMembership

__all__ = ["Delivery", "OutboxEvent", "ProcessedEvent", "StaffAuditEntry", "StaffMembership"]
