"""Interface values (frozen dataclasses) to JSON-ready dicts; money as strings, never floats."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from apps.availability import interface as availability
from apps.bookings import interface as bookings


def money(amount: Any) -> str:
    return f"{Decimal(str(amount)):.2f}"


def policy(p: availability.CancellationPolicy) -> dict[str, Any]:
    data = p.to_dict()
    if data.get("fee_percent") is not None:
        data["fee_percent"] = money(data["fee_percent"])
    return data


def property_summary(prop: availability.PropertyInfo) -> dict[str, Any]:
    return {
        "slug": prop.slug,
        "name": prop.name,
        "city": prop.city,
        "country": prop.country,
        "timezone": prop.timezone,
        "currency": prop.currency,
        "check_in_time": prop.check_in_time.strftime("%H:%M"),
        "check_out_time": prop.check_out_time.strftime("%H:%M"),
    }


def room_type(rt: availability.RoomTypeInfo) -> dict[str, Any]:
    return {
        "id": rt.id,
        "code": rt.code,
        "name": rt.name,
        "max_adults": rt.max_adults,
        "max_children": rt.max_children,
        "max_occupancy": rt.max_occupancy,
    }


def property_detail(
    prop: availability.PropertyInfo,
    *,
    room_types: Sequence[availability.RoomTypeInfo],
    rate_plans: Sequence[availability.RatePlanInfo],
) -> dict[str, Any]:
    return {
        **property_summary(prop),
        "room_types": [room_type(rt) for rt in room_types],
        "rate_plans": [
            {"id": p.id, "code": p.code, "name": p.name, "meal_plan": p.meal_plan, "policy": policy(p.policy)}
            for p in rate_plans
        ],
    }


def nightly(nights: Sequence[tuple[Any, Any]]) -> list[dict[str, Any]]:
    return [{"night": night, "price": money(price)} for night, price in nights]


def offer(o: availability.Offer) -> dict[str, Any]:
    return {
        "room_type": room_type(o.room_type),
        "rate_plan_id": o.rate_plan_id,
        "rate_plan_name": o.rate_plan_name,
        "meal_plan": o.meal_plan,
        "bookable": o.bookable,
        "units_available": o.units_available,
        "nightly": nightly(o.nightly),
        "room_total": money(o.room_total),
        "taxes": money(o.taxes),
        "total": money(o.total),
        "currency": o.currency,
        "cancellation_policy": policy(o.policy),
        "cancellation_policy_text": o.policy_text,
        "problems": [{"code": p.code, "message": p.message, "night": p.night} for p in o.problems],
    }


def booking(info: bookings.BookingInfo, *, property_slug: str) -> dict[str, Any]:
    return {
        "reference": info.reference,
        "partner_reference": info.partner_reference,
        "status": info.status,
        "property": property_slug,
        "check_in": info.check_in,
        "check_out": info.check_out,
        "adults": info.adults,
        "children": info.children,
        "currency": info.currency,
        "room_total": money(info.room_total),
        "taxes": money(info.taxes),
        "total": money(info.total),
        "cancellation_fee": money(info.cancellation_fee),
        "cancellation_policy": policy(availability.CancellationPolicy.from_dict(info.cancellation_policy)),
        "expires_at": info.expires_at,
        "version": info.version,
        "created_at": info.created_at,
        "rooms": [
            {
                "room_type_id": r.room_type_id,
                "room_type_name": r.room_type_name,
                "rate_plan_id": r.rate_plan_id,
                "rate_plan_name": r.rate_plan_name,
                "adults": r.adults,
                "children": r.children,
                "guest_name": r.guest_name,
                "nightly": nightly(r.nightly),
                "total": money(r.total),
            }
            for r in info.rooms
        ],
    }
