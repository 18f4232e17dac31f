"""The demo hotel: every availability feature in one place, built through the real services."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction

from apps.availability.models import Property, RatePlan, Room, RoomType, RoomTypePhoto
from apps.availability.selectors.search import local_today
from apps.availability.services.ari import inventory_update, night_rates_set
from apps.availability.services.calendar import inventory_extend, room_types_to_extend

SLUG = "demo-berlin"
SISTER_SLUG = "demo-berlin-spree"  # a second hotel in the same city: group search and sister suggestions
SISTER_ROOM_TYPES = (
    ("ECO", "Cosy Double", 8, "95.00", (210, 190, 160)),
    ("LOFT", "Loft Studio", 3, "150.00", (160, 190, 210)),
)
ROOM_TYPES = (  # code, name, rooms, price, max adults, max children, max occupancy, bed set-up, m², colour
    ("STD", "Standard Double", 10, "120.00", 2, 1, 3, "1 queen bed", 18, (180, 200, 220)),
    ("SUP", "Superior Double", 6, "160.00", 2, 1, 3, "1 king bed", 24, (200, 170, 140)),
    ("FAM", "Family Room", 4, "190.00", 2, 2, 4, "1 king bed + 2 singles", 32, (150, 200, 150)),
    ("SUI", "Junior Suite", 2, "320.00", 3, 1, 4, "1 king bed + sofa bed", 45, (120, 110, 170)),
)


@dataclass(frozen=True)
class DemoResult:
    property_id: int
    created: bool
    sold_out_night: date


def tiny_png(rgb: tuple[int, int, int], width: int = 48, height: int = 32) -> bytes:
    """A solid-colour PNG written by hand, so the demo needs no imaging library."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _catalogue() -> tuple[Property, list[RoomType], list[RatePlan]]:
    prop = Property.objects.create(
        name="Hotel Demo Berlin",
        slug=SLUG,
        address="Unter den Linden 1",
        description="A classic city hotel on Berlin's grand boulevard, a short walk from the Brandenburg Gate.",
        city="Berlin",
        country="DE",
        timezone="Europe/Berlin",
        currency="EUR",
        tax_percent=Decimal("7.00"),
        city_tax_per_person_night=Decimal("2.50"),
        admin_emails=["frontdesk@demo-hotel.example"],
        alert_phones=["+4930123456789"],
    )
    room_types = []
    for order, (code, name, rooms, price, adults, children, occupancy, beds, sqm, colour) in enumerate(ROOM_TYPES):
        room_type = RoomType.objects.create(
            property=prop, code=code, name=name, sort_order=order, default_price=Decimal(price),
            max_adults=adults, max_children=children, max_occupancy=occupancy, bed_setup=beds, size_sqm=sqm,
            default_extra_adult_price=Decimal("30.00"), default_extra_child_price=Decimal("15.00"),
            amenities=["wifi", "air conditioning", "safe"], description=f"{name}, {sqm} m², {beds}.",
        )  # fmt: skip
        Room.objects.bulk_create(
            Room(property=prop, room_type=room_type, room_number=f"{order + 1}{n:02d}", floor=str(order + 1))
            for n in range(1, rooms + 1)
        )
        for position in range(2):
            photo = RoomTypePhoto(room_type=room_type, caption=f"{name} view {position + 1}", position=position)
            shade = tuple(max(c - 40 * position, 0) for c in colour)
            photo.image.save(f"{code.lower()}-{position + 1}.png", ContentFile(tiny_png(shade)), save=True)
        room_types.append(room_type)
    Room.objects.filter(room_number="110").update(housekeeping_status=Room.Housekeeping.OUT_OF_ORDER)
    return prop, room_types, _rate_plans(prop, room_types)


def _rate_plans(prop: Property, room_types: list[RoomType]) -> list[RatePlan]:
    flexible = RatePlan.objects.create(property=prop, code="FLEX", name="Flexible", free_until_hours=48)
    breakfast = RatePlan.objects.create(
        property=prop, code="BB", name="Bed & Breakfast", meal_plan=RatePlan.MealPlan.BREAKFAST,
        free_until_hours=24, fee_kind=RatePlan.Fee.PERCENT, fee_percent=Decimal("50.00"),
    )  # fmt: skip
    saver = RatePlan.objects.create(
        property=prop, code="NRF", name="Non-refundable saver", parent=flexible,
        derivation_kind=RatePlan.Derivation.PERCENT, derivation_amount=Decimal("-12.00"),
        cancellation_kind=RatePlan.Cancellation.NON_REFUNDABLE, free_until_hours=None, fee_kind="",
        channels=["web"],
    )  # fmt: skip
    for plan in (flexible, breakfast, saver):
        plan.room_types.set(room_types)
    return [flexible, breakfast, saver]


def _calendar(room_types: list[RoomType], plans: list[RatePlan], today: date) -> date:
    """A year open, weekend and breakfast prices, some restrictions, and one sold-out night."""
    flexible, breakfast, _ = plans
    inventory_extend(days=365, room_types=room_types_to_extend([room_types[0].property_id]))
    end = today + timedelta(days=364)
    for room_type in room_types:
        ids = {"room_type_ids": [room_type.pk], "date_from": today, "date_to": end}
        night_rates_set(rate_plan_ids=[breakfast.pk], **ids, price=room_type.default_price + 25)
        weekend = (room_type.default_price * Decimal("1.2")).quantize(Decimal("1"))
        night_rates_set(rate_plan_ids=[flexible.pk], weekdays=[4, 5], **ids, price=weekend)
        night_rates_set(rate_plan_ids=[breakfast.pk], weekdays=[4, 5], **ids, price=weekend + 25)
    everything = {"rate_plan_ids": [flexible.pk, breakfast.pk], "room_type_ids": [rt.pk for rt in room_types]}
    night_rates_set(**everything, date_from=today, date_to=end, weekdays=[5], min_stay_arrival=2)
    night_rates_set(
        **everything, date_from=today, date_to=today + timedelta(days=60), weekdays=[6], closed_to_arrival=True
    )
    christmas = date(today.year if today < date(today.year, 12, 20) else today.year + 1, 12, 23)
    night_rates_set(**everything, date_from=christmas, date_to=christmas + timedelta(days=3), min_stay_through=3)
    sold_out = today + timedelta(days=10)
    inventory_update(room_type_ids=[rt.pk for rt in room_types], date_from=sold_out, date_to=sold_out, stop_sell=True)
    return sold_out


def _sister() -> None:
    """A smaller hotel in Berlin that stays open on the main hotel's sold-out night."""
    prop = Property.objects.create(
        name="Spree Lodge Berlin", slug=SISTER_SLUG, address="Holzmarktstraße 25", city="Berlin", country="DE",
        description="A relaxed riverside lodge on the Spree, close to Berlin's clubs and cafés.",
        timezone="Europe/Berlin", currency="EUR", tax_percent=Decimal("7.00"),
        city_tax_per_person_night=Decimal("2.50"), admin_emails=["desk@spree-lodge.example"],
    )  # fmt: skip
    room_types = []
    for order, (code, name, rooms, price, colour) in enumerate(SISTER_ROOM_TYPES):
        room_type = RoomType.objects.create(
            property=prop, code=code, name=name, sort_order=order, default_price=Decimal(price), max_adults=2,
            max_children=1, max_occupancy=3, bed_setup="1 queen bed", size_sqm=20 + 10 * order,
            amenities=["wifi", "river view"], description=f"{name} by the river Spree.",
        )  # fmt: skip
        Room.objects.bulk_create(
            Room(property=prop, room_type=room_type, room_number=f"S{order + 1}{n:02d}") for n in range(1, rooms + 1)
        )
        photo = RoomTypePhoto(room_type=room_type, caption=f"{name}", position=0)
        photo.image.save(f"{code.lower()}-1.png", ContentFile(tiny_png(colour)), save=True)
        room_types.append(room_type)
    plan = RatePlan.objects.create(property=prop, code="FLEX", name="Flexible", free_until_hours=24)
    plan.room_types.set(room_types)
    inventory_extend(days=365, room_types=room_types_to_extend([prop.pk]))


def demo_hotel_seed() -> DemoResult:
    """Create the demo hotel once; later runs only keep its calendar open a year ahead."""
    result = _main_hotel()
    if Property.objects.filter(slug=SISTER_SLUG).exists():
        sister = Property.objects.filter(slug=SISTER_SLUG).values_list("pk", flat=True)
        inventory_extend(days=365, room_types=room_types_to_extend(list(sister)))
    else:
        with transaction.atomic():
            _sister()
    return result


def _main_hotel() -> DemoResult:
    existing = Property.objects.filter(slug=SLUG).first()
    if existing is not None:
        inventory_extend(days=365, room_types=room_types_to_extend([existing.pk]))
        return DemoResult(existing.pk, False, local_today(existing.timezone) + timedelta(days=10))
    with transaction.atomic():
        prop, room_types, plans = _catalogue()
        sold_out = _calendar(room_types, plans, local_today(prop.timezone))
    return DemoResult(prop.pk, True, sold_out)
