"""Search's per-process catalogue copy: used while current, never once a catalogue write is committed."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.availability.interface import search
from apps.availability.models import NightRate, Property
from apps.availability.stamps import renew_catalogue_stamp
from apps.availability.tests.factories import PropertyFactory, RatePlanFactory, RoomTypeFactory, day, open_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def hotel():
    prop = PropertyFactory(city="Porto")
    double = RoomTypeFactory(property=prop, name="Double", sort_order=1)
    suite = RoomTypeFactory(property=prop, name="Suite", sort_order=2)
    flexible = RatePlanFactory(property=prop, name="Flexible", room_types=[double, suite])
    for room_type in (double, suite):
        open_calendar(room_type, day(0), 5, sellable=3, plans=(flexible,), price="90.00")
    return prop, double, suite, flexible


def offers(prop: Property, channel: str = "web") -> list[tuple[str, str]]:
    found = search(property_id=prop.pk, check_in=day(0), check_out=day(2), channel=channel)
    return [(offer.room_type.name, offer.rate_plan_name) for offer in found]


def counted(prop: Property) -> int:
    with CaptureQueriesContext(connection) as captured:
        offers(prop)
    return len(captured)


def test_later_searches_skip_the_three_catalogue_queries(hotel) -> None:
    prop, *_ = hotel
    assert (counted(prop), counted(prop), counted(prop)) == (6, 3, 3)  # property, (catalogue), inventory, rates


def test_a_saved_room_type_is_seen_by_the_next_search(hotel) -> None:
    prop, double, suite, _flexible = hotel
    assert offers(prop) == [("Double", "Flexible"), ("Suite", "Flexible")]
    double.name = "Double deluxe"
    double.save()
    suite.is_active = False
    suite.save()
    assert offers(prop) == [("Double deluxe", "Flexible")]
    assert counted(prop) == 3  # and the new copy is kept


def test_new_deleted_and_resold_plans_are_seen_by_the_next_search(hotel) -> None:
    prop, double, suite, flexible = hotel
    assert offers(prop) == [("Double", "Flexible"), ("Suite", "Flexible")]
    saver = RatePlanFactory(property=prop, name="Saver")
    assert offers(prop) == [("Double", "Flexible"), ("Suite", "Flexible")]  # sells nothing yet
    saver.room_types.add(double)
    NightRate.objects.bulk_create(
        NightRate(rate_plan=saver, room_type=double, night=day(n), price=Decimal("70.00")) for n in range(3)
    )
    assert offers(prop) == [("Double", "Flexible"), ("Double", "Saver"), ("Suite", "Flexible")]
    flexible.room_types.remove(suite)
    assert offers(prop) == [("Double", "Flexible"), ("Double", "Saver")]
    suite.rate_plans.add(flexible)  # from the room type's side
    assert offers(prop) == [("Double", "Flexible"), ("Double", "Saver"), ("Suite", "Flexible")]
    saver.room_types.clear()
    assert offers(prop) == [("Double", "Flexible"), ("Suite", "Flexible")]
    flexible.channels = ["web"]
    flexible.save()
    assert offers(prop, channel="partner") == []
    NightRate.objects.filter(rate_plan=saver).delete()
    saver.delete()
    assert offers(prop) == [("Double", "Flexible"), ("Suite", "Flexible")]
    assert counted(prop) == 3


def test_a_rolled_back_write_leaves_the_copy_in_use(hotel) -> None:
    prop, double, _suite, _flexible = hotel
    offers(prop)

    def rename_then_fail() -> None:
        with transaction.atomic():
            double.name = "Never committed"
            double.save()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        rename_then_fail()
    prop.refresh_from_db()
    assert offers(prop) == [("Double", "Flexible"), ("Suite", "Flexible")]
    assert counted(prop) == 3


def test_each_hotel_of_a_city_keeps_its_own_copy(hotel) -> None:
    other = PropertyFactory(city="Porto")
    room = RoomTypeFactory(property=other, name="Twin")
    plan = RatePlanFactory(property=other, name="Basic", room_types=[room])
    open_calendar(room, day(0), 5, plans=(plan,))

    def city() -> tuple[int, list[str]]:
        with CaptureQueriesContext(connection) as captured:
            found = search(city="Porto", check_in=day(0), check_out=day(2))
        return len(captured), [offer.room_type.name for offer in found]

    assert city() == (6, ["Double", "Suite", "Twin"])
    assert city() == (3, ["Double", "Suite", "Twin"])
    room.name = "Twin deluxe"
    room.save()
    assert city() == (6, ["Double", "Suite", "Twin deluxe"])  # one read, for the changed hotel only
    assert city() == (3, ["Double", "Suite", "Twin deluxe"])


def test_a_write_past_the_model_shows_once_renewed_or_expired(hotel, settings) -> None:
    prop, double, _suite, _flexible = hotel
    offers(prop)
    type(double).objects.filter(pk=double.pk).update(name="Raw SQL name")  # no model signal
    assert offers(prop)[0] == ("Double", "Flexible")  # the copy, until renewed or expired
    renew_catalogue_stamp(property_id=prop.pk)
    assert offers(prop)[0] == ("Raw SQL name", "Flexible")

    settings.CATALOGUE_CACHE_SECONDS = 1
    offers(prop)
    type(double).objects.filter(pk=double.pk).update(name="Second raw name")
    assert offers(prop)[0] == ("Raw SQL name", "Flexible")
    time.sleep(1.1)
    assert offers(prop)[0] == ("Second raw name", "Flexible")


def test_switched_off_every_search_reads_the_catalogue(hotel, settings) -> None:
    settings.CATALOGUE_CACHE_SECONDS = 0
    prop, *_ = hotel
    assert (counted(prop), counted(prop)) == (6, 6)


def test_a_hotel_saved_by_the_previous_release_has_a_blank_stamp_and_still_searches(hotel) -> None:
    prop, double, *_ = hotel
    Property.objects.filter(pk=prop.pk).update(catalogue_stamp="")  # the column's database default
    assert offers(prop) == [("Double", "Flexible"), ("Suite", "Flexible")]
    double.name = "Renamed"
    double.save()
    assert Property.objects.get(pk=prop.pk).catalogue_stamp != ""
    assert offers(prop)[0] == ("Renamed", "Flexible")


def test_staff_taking_a_room_type_off_a_plan_in_admin_is_seen_by_the_next_search(hotel, admin_client) -> None:
    """The admin saves the plan, then its room types (``save_m2m``): both renew the stamp."""
    prop, double, _suite, flexible = hotel
    assert offers(prop) == [("Double", "Flexible"), ("Suite", "Flexible")]
    form = {
        "property": prop.pk, "code": flexible.code, "name": "Flexible rate", "meal_plan": flexible.meal_plan,
        "room_types": [double.pk], "cancellation_kind": flexible.cancellation_kind,
        "free_until_hours": flexible.free_until_hours, "fee_kind": flexible.fee_kind, "fee_percent": "",
        "channels": '["web", "partner"]', "parent": "", "derivation_kind": "", "derivation_amount": "0",
        "is_active": "on",
    }  # fmt: skip
    response = admin_client.post(f"/admin/availability/rateplan/{flexible.pk}/change/", form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert offers(prop) == [("Double", "Flexible rate")]
