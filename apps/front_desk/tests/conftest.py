"""Front desk fixtures: two hotels (A and B), staff users per role, a booking clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from unittest import mock

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from apps.bookings.interface import Actor, StayRequest
from apps.bookings.tests.factories import Hotel, make_hotel
from apps.front_desk.roles import sync_roles
from booking_platform.staff.models import StaffMembership

ARRIVAL = date(2030, 3, 10)


class Clock:
    """Moves django.utils.timezone.now for every context at once (hotel dates, hold expiry)."""

    def __init__(self) -> None:
        self.now: datetime | None = None

    def set(self, moment: datetime) -> None:
        self.now = moment


def stay(
    hotel: Hotel,
    *,
    check_in: date = ARRIVAL,
    nights: int = 2,
    rooms: int = 1,
    customer_id: int | None = None,
    room_type_id: int | None = None,
) -> StayRequest:
    """A web stay at the test hotel: `rooms` Doubles (or another type) for `nights` from check_in."""
    return StayRequest(
        property_id=hotel.property_id,
        customer_id=customer_id or hotel.guest_id,
        check_in=check_in,
        check_out=check_in + timedelta(days=nights),
        rooms=hotel.rooms(rooms, room_type_id=room_type_id),
        channel="web",
    )


def guest(hotel: Hotel) -> Actor:
    return Actor.guest(hotel.guest_id)


ROLES = ("Owner / manager", "Front desk", "Revenue", "Housekeeping", "Read-only")


@pytest.fixture
def hotel(db: None) -> Hotel:
    return make_hotel(start=ARRIVAL - timedelta(days=2))


@pytest.fixture
def other_hotel(db: None) -> Hotel:
    return make_hotel(start=ARRIVAL - timedelta(days=2))


@pytest.fixture
def clock() -> Iterator[Clock]:
    real = timezone.now
    clock = Clock()
    with mock.patch("django.utils.timezone.now", side_effect=lambda: clock.now or real()):
        yield clock


def make_staff(username: str, role: str | None, *property_ids: int) -> User:
    user = User.objects.create_user(username, f"{username}@example.com", "pw-not-used", is_staff=True)
    if role:
        if not Group.objects.filter(name=role).exists():  # a transactional test elsewhere flushed the table
            sync_roles(django_apps)
        user.groups.add(Group.objects.get(name=role))
    for property_id in property_ids:
        StaffMembership.objects.create(user=user, property_id=property_id)
    return user


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def desk(hotel: Hotel) -> Client:
    return client_for(make_staff("desk", "Front desk", hotel.property_id))
