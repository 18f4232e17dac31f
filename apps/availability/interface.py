"""What other contexts may use from availability: plain functions and frozen values only.

Inventory: ``take_inventory`` / ``confirm_hold`` / ``release_inventory`` / ``release_inventory_from``
(early departure: the nights from a date on) / ``reclaim_expired_holds`` (all or nothing, never
oversell); ``lock_inventory`` locks in one ordered pass before changing several allocations.
Catalogue: ``get_property`` / ``get_room_type`` / ``get_rate_plan``.
Selling: ``search`` and ``quote``; ``quote_rooms`` prices a booking's rooms (no inventory: the take
judges it). Housekeeping: ``free_clean_room`` / ``get_room``. Reconciliation:
``inventory_counts`` / ``repair_inventory_counts``. See docs/contracts.md.
"""

from __future__ import annotations

from apps.availability.domain import (
    CancellationPolicy,
    HoldExpired,
    NotAvailable,
    Offer,
    OfferProblem,
    PropertyInfo,
    Quote,
    RatePlanInfo,
    RoomInfo,
    RoomTypeInfo,
)
from apps.availability.selectors.catalogue import (
    free_clean_room,
    get_property,
    get_rate_plan,
    get_room,
    get_room_type,
    property_by_slug,
)
from apps.availability.selectors.inventory import inventory_counts
from apps.availability.selectors.pricing import RoomAsk, StayQuote, quote_rooms
from apps.availability.selectors.search import local_today, quote, search, validate_stay
from apps.availability.selectors.showcase import (
    Photo,
    RoomTypeDetails,
    active_properties,
    property_photos,
    room_type_details,
)
from apps.availability.selectors.staff import (
    properties_by_ids,
    rate_plans_of_properties,
    room_types_of_properties,
    rooms_by_ids,
    rooms_of_properties,
)
from apps.availability.services.inventory import (
    InventoryRequest,
    confirm_hold,
    lock_inventory,
    reclaim_expired_holds,
    release_inventory,
    release_inventory_from,
    repair_inventory_counts,
    take_inventory,
)
from apps.availability.services.rooms import room_housekeeping_set

__all__ = [
    "CancellationPolicy",
    "HoldExpired",
    "InventoryRequest",
    "NotAvailable",
    "Offer",
    "OfferProblem",
    "Photo",
    "PropertyInfo",
    "Quote",
    "RatePlanInfo",
    "RoomAsk",
    "RoomInfo",
    "RoomTypeDetails",
    "RoomTypeInfo",
    "StayQuote",
    "active_properties",
    "confirm_hold",
    "free_clean_room",
    "get_property",
    "get_rate_plan",
    "get_room",
    "get_room_type",
    "inventory_counts",
    "local_today",
    "lock_inventory",
    "property_photos",
    "quote",
    "quote_rooms",
    "reclaim_expired_holds",
    "release_inventory",
    "release_inventory_from",
    "repair_inventory_counts",
    "room_type_details",
    "search",
    "take_inventory",
    "validate_stay",
]

# Staff screens (front desk, reports, booking pages): catalogue lists in one query each.
__all__ += [
    "properties_by_ids",
    "rate_plans_of_properties",
    "room_housekeeping_set",
    "room_types_of_properties",
    "rooms_by_ids",
    "rooms_of_properties",
]
__all__ += ["property_by_slug"]  # partner API: the property a request names, in one query
