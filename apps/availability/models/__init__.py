"""Django finds the context's models here; other contexts never import them (interface.py only)."""

from apps.availability.models.ari import Allocation, Inventory, NightRate
from apps.availability.models.catalogue import Property, RatePlan, Room, RoomType, RoomTypePhoto

__all__ = ["Allocation", "Inventory", "NightRate", "Property", "RatePlan", "Room", "RoomType", "RoomTypePhoto"]
