"""How search reads the calendar: lapsed holds, extra-guest prices, terms worded once, hand-built calendars."""

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.availability.domain import CENT, CancellationPolicy
from apps.availability.interface import InventoryRequest, search, take_inventory
from apps.availability.models import Allocation, Inventory, NightRate, Property, RatePlan
from apps.availability.selectors.calendar import RATE_FIELDS, Calendar, load_calendar, rate_rows_of
from apps.availability.selectors.offers import build_offer, build_offers
from apps.availability.selectors.search import validate_stay
from apps.availability.tests.factories import (
    SEARCH_START,
    PropertyFactory,
    RatePlanFactory,
    RoomTypeFactory,
    day,
    open_calendar,
)

pytestmark = pytest.mark.django_db
D1 = SEARCH_START


@pytest.fixture
def hotel():
    prop = PropertyFactory(tax_percent=Decimal("10.00"), city_tax_per_person_night=Decimal("1.50"))
    double = RoomTypeFactory(property=prop, name="Double", base_adults=2, max_adults=3, max_children=2)
    single = RoomTypeFactory(property=prop, name="Single", base_adults=1, max_adults=1, max_children=0)
    flexible = RatePlanFactory(property=prop, name="Flexible", room_types=[double, single])
    saver = RatePlanFactory(
        property=prop,
        name="Saver",
        parent=flexible,
        derivation_kind="percent",
        derivation_amount=Decimal("-10"),
        cancellation_kind=RatePlan.Cancellation.NON_REFUNDABLE,
        room_types=[double, single],
    )
    for room_type in (double, single):
        open_calendar(room_type, D1, 6, sellable=3, plans=(flexible,), price="80.00")
    NightRate.objects.filter(rate_plan=flexible).update(
        extra_adult_price=Decimal("20.00"), extra_child_price=Decimal("10.00")
    )
    NightRate.objects.filter(rate_plan=flexible, night=day(1)).update(price=Decimal("95.50"))
    return prop, double, single, flexible, saver


def offer_for(offers, room_type, plan):
    (offer,) = [o for o in offers if o.room_type.id == room_type.pk and o.rate_plan_id == plan.pk]
    return offer


def test_a_live_hold_takes_units_and_a_lapsed_one_gives_them_back(hotel) -> None:
    prop, double, _single, flexible, _saver = hotel
    take_inventory(
        key="H",
        items=[InventoryRequest(double.pk, day(1), day(2), units=2)],
        hold_until=timezone.now() + timedelta(hours=1),
    )
    with CaptureQueriesContext(connection) as held:
        offers = search(property_id=prop.pk, check_in=D1, check_out=day(3), adults=2, rooms=2)
    offer = offer_for(offers, double, flexible)
    assert offer.units_available == 1
    assert [(p.code, p.night) for p in offer.problems] == [("sold_out", day(1))]
    assert len(held) == 7  # the nights hold units: their lapsed holds are looked up
    Allocation.objects.filter(alloc_key="H").update(expires_at=timezone.now() - timedelta(seconds=1))
    offer = offer_for(search(property_id=prop.pk, check_in=D1, check_out=day(3), adults=2, rooms=2), double, flexible)
    assert offer.units_available == 3
    assert offer.bookable
    Inventory.objects.filter(room_type=double, night=day(1)).update(stop_sell=True)
    offer = offer_for(search(property_id=prop.pk, check_in=D1, check_out=day(3), adults=2, rooms=2), double, flexible)
    assert offer.units_available == 0


def test_a_calendar_without_holds_takes_six_queries(hotel) -> None:
    prop, *_ = hotel
    with CaptureQueriesContext(connection) as captured:
        assert len(search(property_id=prop.pk, check_in=D1, check_out=day(5), adults=1)) == 4
    assert len(captured) == 6


@pytest.mark.parametrize(
    ("adults", "children", "reads_extras", "double_nightly"),
    [
        (1, 0, False, ("80.00", "95.50")),  # both room types sleep one adult at base price
        (2, 0, True, ("80.00", "95.50")),  # the single would charge a second adult (it sleeps one: too many)
        (1, 1, True, ("90.00", "105.50")),
        (3, 0, True, ("100.00", "115.50")),
    ],
)
def test_extra_guest_prices_are_read_only_when_charged(hotel, adults, children, reads_extras, double_nightly) -> None:
    prop, double, _single, flexible, saver = hotel
    with CaptureQueriesContext(connection) as captured:
        offers = search(property_id=prop.pk, check_in=D1, check_out=day(2), adults=adults, children=children)
    (rates_sql,) = [q["sql"] for q in captured if "availability_nightrate" in q["sql"]]
    assert ("extra_adult_price" in rates_sql) is reads_extras
    nightly = offer_for(offers, double, flexible).nightly
    assert nightly == ((D1, Decimal(double_nightly[0])), (day(1), Decimal(double_nightly[1])))
    derived = offer_for(offers, double, saver).nightly
    assert [price for _, price in derived] == [(Decimal(p) * Decimal("0.9")).quantize(CENT) for p in double_nightly]


def test_terms_are_worded_once_per_plan(hotel) -> None:
    prop, *_ = hotel
    with mock.patch.object(CancellationPolicy, "describe", autospec=True, side_effect=lambda self, **kw: self.kind):
        offers = search(property_id=prop.pk, check_in=D1, check_out=day(2), adults=1)
        assert CancellationPolicy.describe.call_count == 2  # type: ignore[attr-defined]
    assert sorted(offer.policy_text for offer in offers) == ["free_cancellation"] * 2 + ["non_refundable"] * 2


@pytest.mark.parametrize(("adults", "children", "units"), [(1, 0, 1), (2, 1, 1), (1, 0, 3)])
def test_a_hand_built_calendar_gives_the_same_offers(hotel, adults, children, units) -> None:
    """A calendar built by hand (every rate column, free units worked out row by row) prices exactly as a
    loaded one, which reads only the columns used and works free units out column-wise."""
    prop, double, single, flexible, saver = hotel
    NightRate.objects.filter(rate_plan=flexible, room_type=single, night=day(2)).update(stop_sell=True)
    NightRate.objects.filter(rate_plan=flexible, room_type=double, night=D1).update(min_stay_arrival=4)
    Inventory.objects.filter(room_type=single, night=day(1)).update(sold=2)
    stay = validate_stay(check_in=D1, check_out=day(3), adults=adults, children=children, units=units)
    props = list(Property.objects.filter(pk=prop.pk))
    loaded = load_calendar(properties=props, check_in=D1, check_out=day(3), guests=(adults, children))
    rows = list(NightRate.objects.filter(night__gte=D1, night__lte=day(3)).values_list(*RATE_FIELDS))
    free = {
        (inventory.room_type_id, inventory.night): inventory.sellable - inventory.sold
        for inventory in Inventory.objects.filter(night__gte=D1, night__lt=day(3))
    }
    by_hand = Calendar(
        properties={prop.pk: props[0]},
        room_types=loaded.room_types,
        plans=loaded.plans,
        sells=set(loaded.sells),
        units=free,
        rate_rows=rate_rows_of(rows),
    )
    offers = build_offers(loaded, stay, channel="web")
    assert len(offers) == 4
    assert [
        build_offer(by_hand, room_type, plan, stay) for room_type in (double, single) for plan in (flexible, saver)
    ] == [offer_for(offers, room_type, plan) for room_type in (double, single) for plan in (flexible, saver)]
    assert {p.code for o in offers for p in o.problems} >= {"closed", "min_stay"} | (
        {"sold_out"} if units > 1 else set()
    )
    assert loaded.free_units(single.pk, [D1, day(1)]) == by_hand.free_units(single.pk, [D1, day(1)]) == [3, 1]
