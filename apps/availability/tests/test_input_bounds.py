"""Money, percentages, currencies, names and nights are bounded the same way in services, models and the database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from apps.availability.interface import quote, search
from apps.availability.models import Inventory, NightRate, Property, RatePlan, RoomType
from apps.availability.models.limits import MAX_PRICE, night_window
from apps.availability.services.ari import inventory_update, night_rates_set
from apps.availability.services.calendar import inventory_extend
from apps.availability.tests.factories import (
    PropertyFactory,
    RatePlanFactory,
    RoomFactory,
    RoomTypeFactory,
    open_calendar,
)
from booking_platform.errors import ValidationFailed

pytestmark = pytest.mark.django_db
NIGHT = date(2030, 4, 1)


@pytest.fixture
def priced():
    room_type = RoomTypeFactory()
    plan = RatePlanFactory(property=room_type.property, room_types=[room_type])
    return room_type, plan


def set_rates(room_type, plan, **changes):
    return night_rates_set(
        rate_plan_ids=[plan.pk], room_type_ids=[room_type.pk], date_from=NIGHT, date_to=NIGHT, **changes
    )


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"price": Decimal("-500")}, "price", "out_of_range"),
        ({"price": Decimal("99999999.99")}, "price", "out_of_range"),
        ({"price": Decimal("10000000.00")}, "price", "out_of_range"),
        ({"price": Decimal("NaN")}, "price", "invalid_amount"),
        ({"price": "Infinity"}, "price", "invalid_amount"),
        ({"price": "12.345"}, "price", "invalid_amount"),
        ({"price": "cheap"}, "price", "invalid_amount"),
        ({"price": 99.9}, "price", "invalid_amount"),
        ({"extra_adult_price": Decimal("-1")}, "extra_adult_price", "out_of_range"),
        ({"extra_child_price": Decimal("-0.01")}, "extra_child_price", "out_of_range"),
        ({"min_stay_arrival": 0}, "min_stay_arrival", "invalid_stay_length"),
        ({"min_stay_through": "2"}, "min_stay_through", "invalid_stay_length"),
        ({"max_stay": 40000}, "max_stay", "invalid_stay_length"),
        ({"stop_sell": "yes"}, "stop_sell", "invalid"),
    ],
)
def test_night_rates_refuse_bad_values_by_field_and_write_nothing(priced, changes, field, code) -> None:
    room_type, plan = priced
    with pytest.raises(ValidationFailed) as caught:
        set_rates(room_type, plan, **changes)
    assert (caught.value.code, caught.value.extra) == (code, {"field": field})
    assert NightRate.objects.count() == 0


def test_night_rates_accept_free_nights_and_the_ceiling(priced) -> None:
    room_type, plan = priced
    assert set_rates(room_type, plan, price="0", extra_adult_price=MAX_PRICE) == 1
    assert NightRate.objects.values_list("price", "extra_adult_price").get() == (Decimal("0.00"), MAX_PRICE)


@pytest.mark.parametrize(
    ("date_from", "date_to", "field"),
    [
        (date(1, 1, 1), date(1, 1, 2), "date_from"),
        (date(9999, 12, 30), date(9999, 12, 31), "date_to"),
        (NIGHT, date(9999, 12, 31), "date_to"),
    ],
)
def test_ari_writes_refuse_nights_outside_the_calendar(priced, date_from, date_to, field) -> None:
    room_type, plan = priced
    ids = {"room_type_ids": [room_type.pk], "date_from": date_from, "date_to": date_to}
    with pytest.raises(ValidationFailed) as caught:
        night_rates_set(rate_plan_ids=[plan.pk], price=Decimal("100"), **ids)
    assert (caught.value.code, caught.value.extra) == ("night_out_of_range", {"field": field})
    with pytest.raises(ValidationFailed) as caught:
        inventory_update(sellable=1, **ids)
    assert (caught.value.code, caught.value.extra) == ("night_out_of_range", {"field": field})
    assert NightRate.objects.count() == Inventory.objects.count() == 0


@override_settings(ARI_HORIZON_DAYS=30)
def test_the_horizon_is_a_setting(priced) -> None:
    room_type, plan = priced
    today = timezone.now().date()
    first, last = night_window()
    assert (first, last) == (today - timedelta(days=366), today + timedelta(days=30))
    assert set_rates_between(room_type, plan, last, last) == 1
    with pytest.raises(ValidationFailed) as caught:
        set_rates_between(room_type, plan, last, last + timedelta(days=1))
    assert caught.value.code == "night_out_of_range"
    with pytest.raises(ValidationFailed) as caught:
        inventory_extend(days=32)
    assert caught.value.extra == {"field": "days"}


def set_rates_between(room_type, plan, date_from, date_to) -> int:
    return night_rates_set(
        rate_plan_ids=[plan.pk], room_type_ids=[room_type.pk], date_from=date_from, date_to=date_to, price=Decimal(90)
    )


@pytest.mark.parametrize(("sellable", "stop_sell"), [("5", None), (True, None), (None, "on")])
def test_inventory_update_refuses_wrong_types(priced, sellable, stop_sell) -> None:
    room_type, _ = priced
    with pytest.raises(ValidationFailed) as caught:
        inventory_update(
            room_type_ids=[room_type.pk], date_from=NIGHT, date_to=NIGHT, sellable=sellable, stop_sell=stop_sell
        )
    assert caught.value.extra == {"field": "sellable" if sellable is not None else "stop_sell"}
    assert Inventory.objects.count() == 0


def quotable():
    room_type = RoomTypeFactory(property=PropertyFactory(tax_percent=Decimal("99.99")))
    plan = RatePlanFactory(property=room_type.property, room_types=[room_type])
    RoomFactory(room_type=room_type)
    open_calendar(room_type, NIGHT, 2, plans=(plan,))
    return {"property_id": room_type.property_id, "room_type_id": room_type.pk, "rate_plan_id": plan.pk}


def test_quote_at_the_highest_tax_divides_cleanly() -> None:
    result = quote(**quotable(), check_in=NIGHT, check_out=NIGHT + timedelta(days=1), adults=2, children=0)
    assert (result.room_total, result.taxes, result.total) == (Decimal("100.00"), Decimal("50.00"), Decimal("100.00"))


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"adults": "2"}, "adults", "invalid_adults"),
        ({"children": None}, "children", "invalid_children"),
        ({"units": 1.0}, "rooms", "invalid_rooms"),
        ({"property_id": "1"}, "property_id", "invalid"),
        ({"rate_plan_id": None}, "rate_plan_id", "invalid"),
    ],
)
def test_quote_refuses_wrong_types_by_field(change, field, code) -> None:
    args = {**quotable(), "check_in": NIGHT, "check_out": NIGHT + timedelta(days=1), "adults": 2, "children": 0}
    with pytest.raises(ValidationFailed) as caught:
        quote(**{**args, **change})
    assert (caught.value.code, caught.value.extra) == (code, {"field": field})


@override_settings(ARI_HORIZON_DAYS=30)
def test_quote_refuses_stays_beyond_the_horizon() -> None:
    with pytest.raises(ValidationFailed) as caught:
        quote(**quotable(), check_in=NIGHT, check_out=NIGHT + timedelta(days=1), adults=2, children=0)
    assert (caught.value.code, caught.value.extra) == ("beyond_horizon", {"field": "check_out"})


# --- the database refuses what the validators refuse, whoever writes ---


@pytest.mark.parametrize(
    ("model_factory", "field", "value"),
    [
        (PropertyFactory, "tax_percent", Decimal("-100")),
        (PropertyFactory, "tax_percent", Decimal("-50")),
        (PropertyFactory, "tax_percent", Decimal("100")),
        (PropertyFactory, "tax_percent", Decimal("999.99")),
        (PropertyFactory, "city_tax_per_person_night", Decimal("-10")),
        (PropertyFactory, "city_tax_per_person_night", Decimal("100000")),
        (RoomTypeFactory, "default_price", Decimal("-5")),
        (RoomTypeFactory, "default_extra_child_price", Decimal("99999999.99")),
        (RatePlanFactory, "fee_percent", Decimal("-50")),
        (RatePlanFactory, "fee_percent", Decimal("500")),
    ],
)
def test_check_constraints_refuse_out_of_range_money(model_factory, field, value) -> None:
    row = model_factory()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(row).objects.filter(pk=row.pk).update(**{field: value})
    row.refresh_from_db()
    assert getattr(row, field) != value
    setattr(row, field, value)
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert field in caught.value.message_dict


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price", Decimal("-500")),
        ("price", Decimal("99999999.99")),
        ("extra_adult_price", Decimal("-1")),
        ("min_stay_arrival", 0),
        ("min_stay_through", 0),
        ("max_stay", 0),
    ],
)
def test_night_rate_constraints(priced, field, value) -> None:
    room_type, plan = priced
    set_rates(room_type, plan, price=Decimal("100"))
    with pytest.raises(IntegrityError), transaction.atomic():
        NightRate.objects.update(**{field: value})
    assert NightRate.objects.values_list("price", flat=True).get() == Decimal("100.00")


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (Property, "name", "Grand\r\nHotel"),
        (Property, "name", "Grand\x00Hotel"),
        (Property, "city", "Berlin\n"),
        (Property, "currency", "XXX"),
        (Property, "currency", "XTS"),
        (Property, "currency", "XAU"),
        (Property, "currency", "DEM"),
        (RoomType, "name", "Double\x0bRoom"),
        (RoomType, "description", "Sea view\x00"),
        (RoomType, "amenities", ["wifi\x00"]),
        (RoomType, "amenities", "wifi"),
        (RatePlan, "name", "Flex\u2028ible"),
        (NightRate, "night", date(1, 1, 1)),
        (NightRate, "night", date(9999, 12, 31)),
        (Inventory, "night", date(9999, 12, 31)),
    ],
)
def test_model_validators_refuse_bad_text_codes_and_nights(model, field, value) -> None:
    room_type = RoomTypeFactory()
    plan = RatePlanFactory(property=room_type.property)
    rows = {
        Property: room_type.property,
        RoomType: room_type,
        RatePlan: plan,
        NightRate: NightRate(rate_plan=plan, room_type=room_type, night=NIGHT, price=Decimal(1)),
        Inventory: Inventory(room_type=room_type, night=NIGHT, sellable=1),
    }
    row = rows[model]
    row.full_clean()  # valid as made
    setattr(row, field, value)
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert list(caught.value.message_dict) == [field]


@pytest.mark.parametrize("currency", ["EUR", "XOF", "JPY", "CHF"])
def test_real_currencies_pass(currency: str) -> None:
    prop = PropertyFactory(currency=currency)
    prop.full_clean()


def test_sellable_has_a_ceiling_in_the_service_the_model_and_the_database(priced) -> None:
    room_type, _ = priced
    with pytest.raises(ValidationFailed) as caught:
        inventory_update(room_type_ids=[room_type.pk], date_from=NIGHT, date_to=NIGHT, sellable=2**31)
    assert (caught.value.code, caught.value.extra) == ("out_of_range", {"field": "sellable"})
    assert Inventory.objects.count() == 0
    row = Inventory.objects.create(room_type=room_type, night=NIGHT, sellable=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Inventory.objects.filter(pk=row.pk).update(sellable=10001)
    row.sellable = 10001
    with pytest.raises(ValidationError):
        row.full_clean()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"free_until_hours": 2_000_000_000}, "free_until_hours"),
        ({"derivation_kind": "percent", "derivation_amount": Decimal("-150")}, "derivation_amount"),
        ({"derivation_kind": "percent", "derivation_amount": Decimal("1500")}, "derivation_amount"),
        ({"derivation_kind": "amount", "derivation_amount": Decimal("-99999999.99")}, "derivation_amount"),
    ],
)
def test_rate_plan_terms_are_bounded(changes: dict, field: str) -> None:
    parent = RatePlanFactory()
    plan = RatePlanFactory(property=parent.property, parent=parent, derivation_kind="amount")
    with pytest.raises(IntegrityError), transaction.atomic():
        RatePlan.objects.filter(pk=plan.pk).update(**changes)
    for name, value in changes.items():
        setattr(plan, name, value)
    with pytest.raises(ValidationError) as caught:
        plan.full_clean()
    assert list(caught.value.message_dict) == [field]


def test_search_refuses_a_bad_city_or_property_id_by_field() -> None:
    stay = {"check_in": NIGHT, "check_out": NIGHT + timedelta(days=1)}
    for kwargs, field in (({"city": "Ber\x00lin"}, "city"), ({"property_id": "1"}, "property_id")):
        with pytest.raises(ValidationFailed) as caught:
            search(**stay, **kwargs)
        assert caught.value.extra == {"field": field}
