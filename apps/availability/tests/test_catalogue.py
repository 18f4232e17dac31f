from decimal import Decimal

import pytest

from apps.availability.domain import CancellationPolicy
from apps.availability.interface import free_clean_room, get_property, get_rate_plan, get_room, get_room_type
from apps.availability.tests.factories import PropertyFactory, RatePlanFactory, RoomFactory, RoomTypeFactory
from booking_platform.errors import NotFound


@pytest.mark.django_db
def test_infos_are_plain_values() -> None:
    prop = PropertyFactory(alert_phones=["+4930123"], tax_percent=Decimal("7.00"))
    info = get_property(prop.pk)
    assert (info.id, info.timezone, info.currency, info.admin_emails, info.alert_phones) == (
        prop.pk, "Europe/Berlin", "EUR", ("frontdesk@example.com",), ("+4930123",)
    )  # fmt: skip
    assert str(info.check_in_time) == "15:00:00"
    room_type = RoomTypeFactory(property=prop, max_adults=3)
    assert get_room_type(room_type.pk).max_adults == 3
    plan = RatePlanFactory(property=prop, cancellation_kind="non_refundable")
    assert get_rate_plan(plan.pk).policy == CancellationPolicy(kind="non_refundable")
    with pytest.raises(NotFound):
        get_property(0)
    with pytest.raises(NotFound):
        get_room_type(0)


@pytest.mark.django_db
def test_free_clean_room_prefers_inspected_then_number() -> None:
    room_type = RoomTypeFactory()
    dirty = RoomFactory(room_type=room_type, room_number="101", housekeeping_status="dirty")
    clean = RoomFactory(room_type=room_type, room_number="102")
    inspected = RoomFactory(room_type=room_type, room_number="103", housekeeping_status="inspected")
    assert free_clean_room(room_type_id=room_type.pk, exclude_room_ids=[]).id == inspected.pk
    assert free_clean_room(room_type_id=room_type.pk, exclude_room_ids=[inspected.pk]).id == clean.pk
    assert free_clean_room(room_type_id=room_type.pk, exclude_room_ids=[inspected.pk, clean.pk]) is None
    assert dirty.pk


@pytest.mark.parametrize(
    ("policy", "free", "fee"),
    [
        (CancellationPolicy("free_cancellation", 48, "first_night"), True, "0.00"),
        (CancellationPolicy("free_cancellation", 48, "first_night"), False, "200.00"),
        (CancellationPolicy("free_cancellation", 48, "percent", Decimal("25")), False, "125.00"),
        (CancellationPolicy("free_cancellation", 48, "full_stay"), False, "500.00"),
        (CancellationPolicy("non_refundable"), True, "500.00"),
    ],
)
def test_policy_fee_and_json_round_trip(policy, free, fee) -> None:
    assert policy.fee(nightly=[Decimal("100"), Decimal("150")], units=2, free=free) == Decimal(fee)
    assert CancellationPolicy.from_dict(policy.to_dict()) == policy


def test_policy_words_without_dates() -> None:
    assert CancellationPolicy("free_cancellation", 24, "full_stay").describe() == (
        "Free cancellation until 24 hours before arrival; after that the full stay is charged."
    )


@pytest.mark.django_db
def test_get_room_is_a_plain_value_and_names_a_missing_room() -> None:
    room = RoomFactory(room_number="214", floor="2", housekeeping_status="out_of_order")
    info = get_room(room.pk, lock=True)
    assert (info.id, info.property_id, info.room_type_id, info.room_number, info.floor, info.housekeeping_status) == (
        room.pk, room.property_id, room.room_type_id, "214", "2", "out_of_order"
    )  # fmt: skip
    with pytest.raises(NotFound) as exc:
        get_room(room.pk + 1000)
    assert (exc.value.code, exc.value.extra) == ("room_not_found", {"field": "room_id"})
