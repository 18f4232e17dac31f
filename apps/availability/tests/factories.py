"""factory_boy factories for the availability context's tests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factory

from apps.availability.models import Inventory, NightRate, Property, RatePlan, Room, RoomType

SEARCH_START = date(2030, 5, 4)  # the first night of the search tests' calendars


def day(offset: int) -> date:
    """The night ``offset`` days after SEARCH_START."""
    return SEARCH_START + timedelta(days=offset)


class PropertyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Property

    name = factory.Sequence(lambda n: f"Hotel {n}")
    slug = factory.Sequence(lambda n: f"hotel-{n}")
    city = "Berlin"
    country = "DE"
    timezone = "Europe/Berlin"
    currency = "EUR"
    tax_percent = Decimal("10.00")
    admin_emails = factory.LazyFunction(lambda: ["frontdesk@example.com"])


class RoomTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoomType

    property = factory.SubFactory(PropertyFactory)
    code = factory.Sequence(lambda n: f"RT{n}")
    name = factory.Sequence(lambda n: f"Room type {n}")
    base_adults = 2
    max_adults = 3
    max_children = 2
    max_occupancy = 4
    default_price = Decimal("100.00")


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    room_type = factory.SubFactory(RoomTypeFactory)
    property = factory.SelfAttribute("room_type.property")
    room_number = factory.Sequence(lambda n: f"{100 + n}")


class RatePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RatePlan
        skip_postgeneration_save = True

    property = factory.SubFactory(PropertyFactory)
    code = factory.Sequence(lambda n: f"RP{n}")
    name = factory.Sequence(lambda n: f"Plan {n}")
    free_until_hours = 48
    fee_kind = RatePlan.Fee.FIRST_NIGHT

    @factory.post_generation
    def room_types(self, create: bool, extracted: list[RoomType] | None, **kwargs: object) -> None:
        if create and extracted:
            self.room_types.set(extracted)


class InventoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inventory

    room_type = factory.SubFactory(RoomTypeFactory)
    night = factory.LazyFunction(date.today)
    sellable = 1


class NightRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NightRate

    rate_plan = factory.SubFactory(RatePlanFactory)
    room_type = factory.SubFactory(RoomTypeFactory)
    night = factory.LazyFunction(date.today)
    price = Decimal("100.00")


def open_calendar(
    room_type: RoomType,
    start: date,
    nights: int,
    *,
    sellable: int = 1,
    plans: tuple[RatePlan, ...] = (),
    price: str = "100.00",
) -> None:
    """Inventory (and prices for the given plans) for ``nights`` nights from ``start``."""
    days = [start + timedelta(days=offset) for offset in range(nights)]
    Inventory.objects.bulk_create(Inventory(room_type=room_type, night=day, sellable=sellable) for day in days)
    for plan in plans:
        NightRate.objects.bulk_create(
            NightRate(rate_plan=plan, room_type=room_type, night=day, price=Decimal(price)) for day in days
        )
