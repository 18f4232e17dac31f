from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.availability.interface import NotAvailable, quote, search
from apps.availability.models import Inventory, NightRate, RatePlan
from apps.availability.tests.factories import (
    SEARCH_START,
    PropertyFactory,
    RatePlanFactory,
    RoomTypeFactory,
    day,
    open_calendar,
)
from booking_platform.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.django_db
D1 = SEARCH_START


@pytest.fixture
def hotel():
    prop = PropertyFactory(tax_percent=Decimal("10.00"), city_tax_per_person_night=Decimal("2.50"), city="Lisbon")
    double = RoomTypeFactory(property=prop, name="Double", base_adults=2, max_adults=2, max_children=1, max_occupancy=3)
    flexible = RatePlanFactory(property=prop, name="Flexible", room_types=[double])
    open_calendar(double, D1, 10, sellable=2, plans=(flexible,), price="100.00")
    NightRate.objects.filter(rate_plan=flexible, night=day(1)).update(price=Decimal("120.00"), extra_child_price=10)
    return prop, double, flexible


def only(offers):
    assert len(offers) == 1
    return offers[0]


def test_offer_with_breakdown_taxes_and_terms(hotel) -> None:
    prop, _double, _flexible = hotel
    offer = only(search(property_id=prop.pk, check_in=day(0), check_out=day(3), adults=2, children=1))
    assert offer.bookable
    assert offer.problems == ()
    assert offer.units_available == 2
    assert offer.nightly == ((day(0), Decimal("100.00")), (day(1), Decimal("130.00")), (day(2), Decimal("100.00")))
    assert offer.room_total == Decimal("330.00")
    assert offer.taxes == Decimal("45.00")  # 30.00 VAT included + 2 adults x 3 nights x 2.50 city tax
    assert offer.total == Decimal("345.00")
    assert offer.currency == "EUR"
    assert offer.policy_text == (
        "Free cancellation until 2 May 2030 15:00 (hotel time); after that the first night is charged."
    )


def test_city_search_and_two_rooms(hotel) -> None:
    offer = only(search(city="lisbon", check_in=day(0), check_out=day(1), adults=1, rooms=2))
    assert offer.room_total == Decimal("200.00")
    assert offer.units_available == 2
    assert search(city="Porto", check_in=day(0), check_out=day(1)) == []


def test_derived_plan_prices_off_its_parent(hotel) -> None:
    prop, double, flexible = hotel
    RatePlanFactory(
        property=prop,
        name="Non-refundable",
        parent=flexible,
        derivation_kind=RatePlan.Derivation.PERCENT,
        derivation_amount=Decimal("-10"),
        cancellation_kind=RatePlan.Cancellation.NON_REFUNDABLE,
        room_types=[double],
    )
    offers = search(property_id=prop.pk, check_in=day(0), check_out=day(2), adults=2)
    derived = offers[1]
    assert derived.rate_plan_name == "Non-refundable"
    assert derived.nightly == ((day(0), Decimal("90.00")), (day(1), Decimal("108.00")))
    assert derived.policy_text.startswith("Non-refundable")


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        (
            lambda rt, rp: Inventory.objects.filter(room_type=rt, night=day(1)).update(sellable=0),
            "sold_out",
            "Sold out on 5 May 2030.",
        ),
        (
            lambda rt, rp: Inventory.objects.filter(room_type=rt, night=day(1)).update(stop_sell=True),
            "sold_out",
            "Sold out on 5 May 2030.",
        ),
        (
            lambda rt, rp: NightRate.objects.filter(night=day(0)).update(min_stay_arrival=3),
            "min_stay",
            "Minimum stay 3 nights.",
        ),
        (
            lambda rt, rp: NightRate.objects.filter(night=day(1)).update(min_stay_through=4),
            "min_stay",
            "Minimum stay 4 nights.",
        ),
        (
            lambda rt, rp: NightRate.objects.filter(night=day(0)).update(max_stay=1),
            "max_stay",
            "Maximum stay 1 nights.",
        ),
        (
            lambda rt, rp: NightRate.objects.filter(night=day(0)).update(closed_to_arrival=True),
            "closed_to_arrival",
            "Closed to arrival on 4 May 2030.",
        ),
        (
            lambda rt, rp: NightRate.objects.filter(night=day(2)).update(closed_to_departure=True),
            "closed_to_departure",
            "Closed to departure on 6 May 2030.",
        ),
        (
            lambda rt, rp: NightRate.objects.filter(night=day(1)).update(stop_sell=True),
            "closed",
            "Not for sale on 5 May 2030.",
        ),
    ],
)
def test_reasons_for_offers_that_do_not_fit(hotel, change, code, message) -> None:
    prop, double, flexible = hotel
    change(double, flexible)
    offer = only(search(property_id=prop.pk, check_in=day(0), check_out=day(2), adults=2))
    assert not offer.bookable
    assert [(p.code, p.message) for p in offer.problems] == [(code, message)]
    with pytest.raises(NotAvailable) as caught:
        quote(
            property_id=prop.pk,
            room_type_id=double.pk,
            rate_plan_id=flexible.pk,
            check_in=day(0),
            check_out=day(2),
            adults=2,
            children=0,
        )
    assert caught.value.message == message
    assert caught.value.extra["reasons"] == [code]


def test_too_many_guests_is_a_reason_in_search_and_a_field_error_in_quote(hotel) -> None:
    prop, double, flexible = hotel
    offer = only(search(property_id=prop.pk, check_in=day(0), check_out=day(1), adults=3))
    assert [p.code for p in offer.problems] == ["too_many_guests"]
    with pytest.raises(ValidationFailed) as caught:
        quote(
            property_id=prop.pk,
            room_type_id=double.pk,
            rate_plan_id=flexible.pk,
            check_in=day(0),
            check_out=day(1),
            adults=2,
            children=2,
        )
    assert (caught.value.code, caught.value.extra) == ("too_many_guests", {"field": "children"})


def test_quote_locks_the_price(hotel) -> None:
    prop, double, flexible = hotel
    result = quote(
        property_id=prop.pk,
        room_type_id=double.pk,
        rate_plan_id=flexible.pk,
        check_in=day(1),
        check_out=day(3),
        adults=2,
        children=0,
        units=2,
    )
    assert result.nightly == ((day(1), Decimal("120.00")), (day(2), Decimal("100.00")))
    assert (result.room_total, result.taxes, result.total) == (Decimal("440.00"), Decimal("60.00"), Decimal("460.00"))
    assert result.policy.to_dict() == {
        "kind": "free_cancellation",
        "free_until_hours": 48,
        "fee_kind": "first_night",
        "fee_percent": None,
    }


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"check_out": D1}, "check_out", "check_out_not_after_check_in"),
        ({"check_out": D1 + timedelta(days=31)}, "check_out", "stay_too_long"),
        ({"check_in": date(2020, 1, 1), "check_out": date(2020, 1, 2)}, "check_in", "check_in_in_past"),
        ({"adults": 0}, "adults", "invalid_adults"),
        ({"children": -1}, "children", "invalid_children"),
        ({"rooms": 0}, "rooms", "invalid_rooms"),
        ({"channel": "fax"}, "channel", "invalid_channel"),
        ({"check_in": "2030-05-04"}, "check_in", "invalid_date"),
    ],
)
def test_validation_names_the_field(hotel, kwargs, field, code) -> None:
    arguments = {"property_id": hotel[0].pk, "check_in": D1, "check_out": day(1), "adults": 2, **kwargs}
    with pytest.raises(ValidationFailed) as caught:
        search(**arguments)
    assert (caught.value.code, caught.value.extra) == (code, {"field": field})


def test_max_nights_follows_the_setting(hotel, settings) -> None:
    settings.AVAILABILITY_MAX_NIGHTS = 2
    with pytest.raises(ValidationFailed):
        search(property_id=hotel[0].pk, check_in=D1, check_out=day(3))


def test_quote_unknown_things(hotel) -> None:
    prop, double, flexible = hotel
    base = {"check_in": day(0), "check_out": day(1), "adults": 2, "children": 0}
    with pytest.raises(NotFound):
        quote(property_id=0, room_type_id=double.pk, rate_plan_id=flexible.pk, **base)
    with pytest.raises(ValidationFailed) as caught:
        quote(property_id=prop.pk, room_type_id=0, rate_plan_id=flexible.pk, **base)
    assert caught.value.extra == {"field": "room_type_id"}
    RatePlan.objects.filter(pk=flexible.pk).update(channels=["web"])
    with pytest.raises(ValidationFailed) as caught:
        quote(property_id=prop.pk, room_type_id=double.pk, rate_plan_id=flexible.pk, channel="partner", **base)
    assert caught.value.extra == {"field": "rate_plan_id"}
    assert search(property_id=prop.pk, channel="partner", **base) == []


def build_hotel(room_types: int, nights: int):
    prop = PropertyFactory()
    plans = [RatePlanFactory(property=prop), RatePlanFactory(property=prop)]
    for _ in range(room_types):
        room_type = RoomTypeFactory(property=prop)
        open_calendar(room_type, D1, nights, sellable=3, plans=tuple(plans))
        for plan in plans:
            plan.room_types.add(room_type)
    RatePlanFactory(
        property=prop,
        parent=plans[0],
        derivation_kind="amount",
        derivation_amount=Decimal("-5"),
        room_types=list(prop.room_types.all()),
    )
    return prop


def count_queries(prop, nights: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        offers = search(property_id=prop.pk, check_in=D1, check_out=day(nights), adults=2)
    return len(captured), len(offers)


def test_search_query_count_is_constant(django_assert_max_num_queries) -> None:
    small = count_queries(build_hotel(1, 1), 1)
    large_hotel = build_hotel(50, 30)
    with django_assert_max_num_queries(small[0]):
        offers = search(property_id=large_hotel.pk, check_in=D1, check_out=day(30), adults=2)
    assert small == (6, 3)
    assert len(offers) == 150
    assert all(offer.bookable and len(offer.nightly) == 30 for offer in offers)
