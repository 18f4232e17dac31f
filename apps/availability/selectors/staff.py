"""Catalogue lists for staff screens in other contexts: one query each, whatever the count."""

from __future__ import annotations

from collections.abc import Collection

from apps.availability.domain import PropertyInfo, RatePlanInfo, RoomInfo, RoomTypeInfo
from apps.availability.models import Property, RatePlan, Room, RoomType
from apps.availability.selectors.catalogue import property_info, rate_plan_info, room_info, room_type_info


def properties_by_ids(property_ids: Collection[int] | None = None) -> dict[int, PropertyInfo]:
    """Properties by id (None: all), active or not: staff still read a closed hotel's bookings."""
    rows = Property.objects.all() if property_ids is None else Property.objects.filter(pk__in=list(property_ids))
    return {prop.pk: property_info(prop) for prop in rows.order_by("name", "pk")}


def rooms_by_ids(room_ids: Collection[int]) -> dict[int, RoomInfo]:
    return {room.pk: room_info(room) for room in Room.objects.filter(pk__in=list(room_ids))}


def rooms_of_properties(property_ids: Collection[int]) -> list[RoomInfo]:
    """Every room of the properties, by property and room number (housekeeping and occupancy)."""
    rooms = Room.objects.filter(property_id__in=list(property_ids)).order_by("property_id", "room_number")
    return [room_info(room) for room in rooms]


def room_types_of_properties(property_ids: Collection[int]) -> list[RoomTypeInfo]:
    room_types = RoomType.objects.filter(property_id__in=list(property_ids), is_active=True)
    return [room_type_info(rt) for rt in room_types.order_by("property_id", "sort_order", "id")]


def rate_plans_of_properties(property_ids: Collection[int]) -> list[RatePlanInfo]:
    plans = RatePlan.objects.filter(property_id__in=list(property_ids), is_active=True)
    return [rate_plan_info(plan) for plan in plans.order_by("property_id", "id")]
