"""quote_rooms: a booking's rooms priced as quote prices them, in two queries, free units left to the take."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.availability.interface import NotAvailable, RoomAsk, quote, quote_rooms
from apps.availability.models import Inventory, NightRate, Property, RatePlan
from apps.availability.tests.factories import PropertyFactory, RatePlanFactory, RoomTypeFactory, open_calendar
from booking_platform.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.django_db
D1 = date(2030, 5, 4)


@pytest.fixture
def hotel():
    prop = PropertyFactory(tax_percent=Decimal("10.00"), city_tax_per_person_night=Decimal("2.50"))
    double = RoomTypeFactory(property=prop, name="Double", base_adults=2, max_adults=2, max_children=1, max_occupancy=3)
    suite = RoomTypeFactory(property=prop, name="Suite", base_adults=2, max_adults=4, max_children=2, max_occupancy=5)
    flexible = RatePlanFactory(property=prop, name="Flexible", room_types=[double, suite])
    open_calendar(double, D1, 10, sellable=2, plans=(flexible,), price="100.00")
    open_calendar(suite, D1, 10, sellable=1, plans=(flexible,), price="250.00")
    NightRate.objects.filter(rate_plan=flexible, room_type=double, night=D1 + timedelta(days=1)).update(
        price=Decimal("120.00"), extra_child_price=10
    )
    return prop, double, suite, flexible


def _rooms(prop, check_out: date, rooms: list[RoomAsk], channel: str = "web"):
    return quote_rooms(property_id=prop.pk, check_in=D1, check_out=check_out, rooms=rooms, channel=channel)


def test_each_room_is_priced_as_quote_prices_it(hotel) -> None:
    prop, double, suite, flexible = hotel
    asks = [RoomAsk(double.pk, flexible.pk, adults=2, children=1), RoomAsk(suite.pk, flexible.pk, adults=3)]
    priced = _rooms(prop, D1 + timedelta(days=3), asks)
    assert priced.property.id == prop.pk
    for ask, got in zip(asks, priced.quotes, strict=True):
        expected = quote(
            property_id=prop.pk,
            room_type_id=ask.room_type_id,
            rate_plan_id=ask.rate_plan_id,
            check_in=D1,
            check_out=D1 + timedelta(days=3),
            adults=ask.adults,
            children=ask.children,
        )
        assert got == expected
    assert priced.quotes[0].room_total == Decimal("330.00")  # 100 + (120 + 10 child) + 100


def test_two_queries_whatever_the_nights_and_rooms(hotel) -> None:
    prop, double, suite, flexible = hotel
    with CaptureQueriesContext(connection) as one:
        _rooms(prop, D1 + timedelta(days=1), [RoomAsk(double.pk, flexible.pk, adults=2)])
    with CaptureQueriesContext(connection) as many:
        _rooms(
            prop,
            D1 + timedelta(days=7),
            [RoomAsk(double.pk, flexible.pk, adults=2)] * 2 + [RoomAsk(suite.pk, flexible.pk, adults=2)],
        )
    assert (len(one), len(many)) == (2, 2)


def test_free_units_are_left_to_the_take(hotel) -> None:
    prop, double, _suite, flexible = hotel
    Inventory.objects.filter(room_type=double).update(sold=2)
    ask = RoomAsk(double.pk, flexible.pk, adults=2)
    with pytest.raises(NotAvailable):
        quote(
            property_id=prop.pk,
            room_type_id=double.pk,
            rate_plan_id=flexible.pk,
            check_in=D1,
            check_out=D1 + timedelta(days=1),
            adults=2,
            children=0,
        )
    assert _rooms(prop, D1 + timedelta(days=1), [ask]).quotes[0].total == Decimal("105.00")


def test_a_closed_night_is_refused_with_its_reason(hotel) -> None:
    prop, double, _suite, flexible = hotel
    NightRate.objects.filter(room_type=double, night=D1 + timedelta(days=1)).update(stop_sell=True)
    with pytest.raises(NotAvailable) as caught:
        _rooms(prop, D1 + timedelta(days=3), [RoomAsk(double.pk, flexible.pk, adults=2)])
    assert caught.value.extra == {"nights": ["2030-05-05"], "reasons": ["closed"]}


@pytest.mark.parametrize(
    ("change", "ask", "error", "code", "extra"),
    [
        (None, {"property_id": 0}, NotFound, "not_found", {"field": "property_id"}),
        ("inactive", {}, NotFound, "not_found", {"field": "property_id"}),
        (None, {"room_type_id": 0}, ValidationFailed, "unknown_room_type", {"field": "room_type_id"}),
        (None, {"rate_plan_id": 0}, ValidationFailed, "unknown_rate_plan", {"field": "rate_plan_id"}),
        ("web_only", {"channel": "partner"}, ValidationFailed, "unknown_rate_plan", {"field": "rate_plan_id"}),
        (None, {"children": 2}, ValidationFailed, "too_many_guests", {"field": "children"}),
        (None, {"check_in": date(2020, 1, 1)}, ValidationFailed, "check_in_in_past", {"field": "check_in"}),
        (None, {"rooms": []}, ValidationFailed, "rooms_required", {"field": "rooms"}),
    ],
)
def test_refusals_are_quotes_own(hotel, change, ask, error, code, extra) -> None:
    prop, double, _suite, flexible = hotel
    if change == "inactive":
        Property.objects.filter(pk=prop.pk).update(is_active=False)
    if change == "web_only":
        RatePlan.objects.filter(pk=flexible.pk).update(channels=["web"])
    room = RoomAsk(ask.get("room_type_id", double.pk), ask.get("rate_plan_id", flexible.pk), adults=2)
    room = RoomAsk(room.room_type_id, room.rate_plan_id, adults=2, children=ask.get("children", 0))
    check_in = ask.get("check_in", D1)
    with pytest.raises(error) as caught:
        quote_rooms(
            property_id=ask.get("property_id", prop.pk),
            check_in=check_in,
            check_out=check_in + timedelta(days=1),
            rooms=ask.get("rooms", [room]),
            channel=ask.get("channel", "web"),
        )
    assert (caught.value.code, caught.value.extra) == (code, extra)
