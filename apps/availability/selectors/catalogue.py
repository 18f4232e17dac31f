"""Catalogue reads handed out as frozen values."""

from __future__ import annotations

from collections.abc import Collection

from apps.availability.domain import PropertyInfo, RatePlanInfo, RoomInfo, RoomTypeInfo
from apps.availability.models import Property, RatePlan, Room, RoomType
from booking_platform.db.locking import lock_one
from booking_platform.errors import NotFound


def property_info(prop: Property) -> PropertyInfo:
    return PropertyInfo(
        id=prop.pk,
        name=prop.name,
        slug=prop.slug,
        timezone=prop.timezone,
        currency=prop.currency,
        check_in_time=prop.check_in_time,
        check_out_time=prop.check_out_time,
        admin_emails=tuple(prop.admin_emails or ()),
        alert_phones=tuple(prop.alert_phones or ()),
        tax_percent=prop.tax_percent,
        city_tax_per_person_night=prop.city_tax_per_person_night,
        city=prop.city,
        country=prop.country,
        address=prop.address,
        description=prop.description,
    )


def room_type_info(room_type: RoomType) -> RoomTypeInfo:
    return RoomTypeInfo(
        id=room_type.pk,
        property_id=room_type.property_id,
        code=room_type.code,
        name=room_type.name,
        base_adults=room_type.base_adults,
        max_adults=room_type.max_adults,
        max_children=room_type.max_children,
        max_occupancy=room_type.max_occupancy,
    )


def rate_plan_info(plan: RatePlan) -> RatePlanInfo:
    return RatePlanInfo(
        id=plan.pk,
        property_id=plan.property_id,
        code=plan.code,
        name=plan.name,
        meal_plan=plan.meal_plan,
        parent_id=plan.parent_id,
        channels=tuple(plan.channels or ()),
        policy=plan.policy,
    )


def room_info(room: Room) -> RoomInfo:
    return RoomInfo(
        id=room.pk,
        property_id=room.property_id,
        room_type_id=room.room_type_id,
        room_number=room.room_number,
        floor=room.floor,
        housekeeping_status=room.housekeeping_status,
    )


def get_property(property_id: int) -> PropertyInfo:
    prop = Property.objects.filter(pk=property_id).first()
    if prop is None:
        raise NotFound(f"No property {property_id}.", extra={"field": "property_id"})
    return property_info(prop)


def property_by_slug(slug: str) -> PropertyInfo | None:
    """The hotel on sale with this slug, or None (one query; an inactive one is None too)."""
    prop = Property.objects.filter(slug=slug, is_active=True).first()
    return property_info(prop) if prop is not None else None


def get_room_type(room_type_id: int) -> RoomTypeInfo:
    room_type = RoomType.objects.filter(pk=room_type_id).first()
    if room_type is None:
        raise NotFound(f"No room type {room_type_id}.", extra={"field": "room_type_id"})
    return room_type_info(room_type)


def get_rate_plan(rate_plan_id: int) -> RatePlanInfo:
    plan = RatePlan.objects.filter(pk=rate_plan_id).first()
    if plan is None:
        raise NotFound(f"No rate plan {rate_plan_id}.", extra={"field": "rate_plan_id"})
    return rate_plan_info(plan)


def get_room(room_id: int, *, lock: bool = False) -> RoomInfo:
    """One physical room (NotFound code "room_not_found"). ``lock`` holds its row until the caller's
    transaction ends, so two staff giving the same room to two bookings take turns."""
    rooms = Room.objects.filter(pk=room_id)
    room = lock_one(rooms) if lock else rooms.first()
    if room is None:
        raise NotFound(f"No room {room_id}.", code="room_not_found", extra={"field": "room_id"})
    return room_info(room)


def free_clean_room(*, room_type_id: int, exclude_room_ids: Collection[int]) -> RoomInfo | None:
    """A ready room of the type for check-in: inspected ones first, then clean, by room number."""
    ready = (Room.Housekeeping.INSPECTED, Room.Housekeeping.CLEAN)
    rooms = Room.objects.filter(room_type_id=room_type_id, housekeeping_status__in=ready).exclude(
        pk__in=list(exclude_room_ids)
    )
    best = sorted(rooms, key=lambda room: (ready.index(room.housekeeping_status), room.room_number))
    return room_info(best[0]) if best else None
