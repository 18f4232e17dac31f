"""Bookings test data. A hotel is built with availability's factories (test setup only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from apps.availability.tests.factories import (
    NightRateFactory,
    PropertyFactory,
    RatePlanFactory,
    RoomFactory,
    RoomTypeFactory,
    open_calendar,
)
from apps.bookings.actors import Actor
from apps.bookings.models import AuditEntry, Booking, BookingRoom, Channel, Status
from apps.bookings.references import new_reference
from apps.bookings.services.pricing import RoomRequest
from apps.customers.tests.factories import CustomerFactory


@dataclass(frozen=True)
class Hotel:
    property_id: int
    room_type_id: int
    other_room_type_id: int
    rate_plan_id: int
    other_rate_plan_id: int
    room_ids: tuple[int, ...]
    guest_id: int  # a real customer profile: bookings refuse made-up customer ids

    @property
    def guest(self) -> Actor:
        """The hotel's test guest acting for themselves (audit actor id = the customer id)."""
        return Actor.guest(self.guest_id)

    def rooms(
        self,
        count: int = 1,
        *,
        adults: int = 2,
        room_type_id: int | None = None,
        rate_plan_id: int | None = None,
        guest_name: str = "",
    ) -> list[RoomRequest]:
        return [
            RoomRequest(
                room_type_id=room_type_id or self.room_type_id,
                rate_plan_id=rate_plan_id or self.rate_plan_id,
                adults=adults,
                guest_name=guest_name,
            )
            for _ in range(count)
        ]


def make_hotel(
    *,
    start: date,
    nights: int = 14,
    sellable: int = 2,
    price: str = "100.00",
    timezone: str = "Europe/Berlin",
    cancellation: str = "free_cancellation",
    free_until_hours: int | None = 48,
    fee_kind: str = "first_night",
    fee_percent: Decimal | None = None,
    rooms_per_type: int = 2,
) -> Hotel:
    """One property, two room types, two plans (the second 20% dearer), calendar open from `start`, a guest."""
    prop = PropertyFactory(timezone=timezone, check_in_time=time(15, 0), tax_percent=Decimal("0.00"))
    room_type = RoomTypeFactory(property=prop, name="Double")
    other = RoomTypeFactory(property=prop, name="Suite")
    plan = RatePlanFactory(
        property=prop,
        name="Flexible",
        cancellation_kind=cancellation,
        free_until_hours=free_until_hours,
        fee_kind=fee_kind,
        fee_percent=fee_percent,
        room_types=[room_type, other],
    )
    dear = RatePlanFactory(property=prop, name="Breakfast", room_types=[room_type, other])
    open_calendar(room_type, start, nights, sellable=sellable, plans=(plan,), price=price)
    open_calendar(other, start, nights, sellable=sellable, plans=(plan,), price=str(Decimal(price) * 2))
    for offset in range(nights):
        for rt, amount in ((room_type, Decimal(price)), (other, Decimal(price) * 2)):
            NightRateFactory(
                rate_plan=dear, room_type=rt, night=start + timedelta(days=offset), price=amount * Decimal("1.2")
            )
    room_ids = [RoomFactory(room_type=room_type, property=prop).pk for _ in range(rooms_per_type)]
    room_ids += [RoomFactory(room_type=other, property=prop).pk for _ in range(rooms_per_type)]
    return Hotel(prop.pk, room_type.pk, other.pk, plan.pk, dear.pk, tuple(room_ids), make_guest())


def make_guest(**fields: object) -> int:
    """A guest profile through customers' factory; returns its id (what bookings store)."""
    return CustomerFactory(**fields).pk


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking row without inventory behind it (for privacy and reconciliation-drift tests)."""

    class Meta:
        model = Booking

    reference = factory.LazyFunction(new_reference)
    allocation_key = factory.SelfAttribute("reference")
    property_id = 1
    customer_id = factory.LazyFunction(make_guest)
    channel = Channel.WEB
    status = Status.CONFIRMED
    check_in = date(2030, 3, 1)
    check_out = date(2030, 3, 3)
    adults = 2
    currency = "EUR"
    room_total = Decimal("200.00")
    taxes = Decimal("0.00")
    total = Decimal("200.00")
    cancellation_policy = factory.LazyFunction(
        lambda: {"kind": "free_cancellation", "free_until_hours": 48, "fee_kind": "first_night", "fee_percent": None}
    )


class BookingRoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BookingRoom

    booking = factory.SubFactory(BookingFactory)
    room_type_id = 1
    room_type_name = "Double"
    rate_plan_id = 1
    rate_plan_name = "Flexible"
    adults = 2
    nightly = factory.LazyFunction(
        lambda: [{"night": "2030-03-01", "price": "100.00"}, {"night": "2030-03-02", "price": "100.00"}]
    )
    room_total = Decimal("200.00")
    taxes = Decimal("0.00")
    total = Decimal("200.00")


class AuditEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEntry

    booking = factory.SubFactory(BookingFactory)
    actor_kind = "staff"
    actor_id = "1"
    action = "note"
    occurred_at = factory.LazyFunction(timezone.now)
