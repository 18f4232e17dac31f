from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models

from apps.bookings.interface import (
    Actor,
    RoomRequest,
    StayRequest,
    book,
    get_booking,
    hold_booking,
    modify_booking,
)
from apps.bookings.tests.factories import make_hotel
from apps.customers.interface import get_customer, upsert_customer
from apps.customers.models import Customer
from apps.customers.privacy import customer_erase, customer_export
from booking_platform.errors import NotFound
from booking_platform.notifications.models import Delivery

pytestmark = pytest.mark.django_db
STAFF = Actor.staff(1)
EMAIL, FIRST, LAST, PHONE = "ottilie.quandt@example.org", "Ottilie", "Quandt-Wexford", "+4915123456789"
TEXT_TYPES = {"CharField", "TextField", "EmailField", "JSONField", "SlugField", "URLField"}


@pytest.fixture
def guest_with_history():
    from datetime import date

    arrival = date(2030, 5, 4)
    hotel = make_hotel(start=arrival, nights=6)
    guest = upsert_customer(
        email=EMAIL, first_name=FIRST, last_name=LAST, phone=PHONE, country="DE", marketing_consent=True
    )
    named = [
        RoomRequest(
            room_type_id=hotel.room_type_id, rate_plan_id=hotel.rate_plan_id, adults=2, guest_name=f"{FIRST} {LAST}"
        )
    ]
    first = book(
        request=StayRequest(
            property_id=hotel.property_id,
            customer_id=guest.id,
            check_in=arrival,
            check_out=arrival + timedelta(days=2),
            rooms=named,
            channel="web",
            special_requests=f"Quiet room please, {FIRST} {LAST}, call {PHONE}",
        ),
        actor=Actor.guest(guest.id),
    )
    modify_booking(
        booking_id=first.id, actor=STAFF, expected_version=first.version, check_out=arrival + timedelta(days=3)
    )
    second = hold_booking(
        request=StayRequest(
            property_id=hotel.property_id,
            customer_id=guest.id,
            check_in=arrival,
            check_out=arrival + timedelta(days=1),
            rooms=hotel.rooms(),
            channel="partner",
            partner_id=3,
        ),
        actor=Actor.partner(3),
    )
    Delivery.objects.create(
        event_id="00000000-0000-0000-0000-000000000001",
        channel="email",
        recipient=EMAIL,
        kind="booking.confirmed.guest",
        status="sent",
    )
    Delivery.objects.create(
        event_id="00000000-0000-0000-0000-000000000001",
        channel="sms",
        recipient=PHONE,
        kind="booking.confirmed.guest",
        status="pending",
    )
    return guest, [first.id, second.id]


def test_export_holds_profile_bookings_audit_and_messages(guest_with_history) -> None:
    guest, booking_ids = guest_with_history
    document = customer_export(customer_id=guest.id)
    json.dumps(document)  # plain JSON all the way down
    assert document["customer"]["email"] == EMAIL
    assert (document["customer"]["phone"], document["customer"]["marketing_consent"]) == (PHONE, True)
    assert [b["reference"] for b in document["bookings"]] == [get_booking(pk).reference for pk in booking_ids]
    first = document["bookings"][0]
    assert first["special_requests"] == f"Quiet room please, {FIRST} {LAST}, call {PHONE}"
    assert first["rooms"][0]["guest_name"] == f"{FIRST} {LAST}"
    assert [e["action"] for e in first["audit"]] == ["confirmed", "modified"]
    assert first["audit"][1]["actor"] == {"kind": "staff", "id": "1"}
    assert sorted(m["channel"] for m in document["messages"]) == ["email", "sms"]


def personal_values_left(values: list[str]) -> list[str]:
    """Every text, char and JSON column of every model in the project, searched for the values."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        fields = [f for f in model._meta.concrete_fields if f.get_internal_type() in TEXT_TYPES]
        if not fields:
            continue
        for row in model._default_manager.values_list(*[f.attname for f in fields]):
            for field, cell in zip(fields, row, strict=True):
                text = json.dumps(cell) if isinstance(field, models.JSONField) else str(cell or "")
                found += [f"{model._meta.label}.{field.name}: {v}" for v in values if v.lower() in text.lower()]
    return found


def test_erase_leaves_no_personal_data_in_any_table_and_keeps_amounts(guest_with_history) -> None:
    guest, booking_ids = guest_with_history
    known = [EMAIL, FIRST, LAST, PHONE, PHONE.lstrip("+")]
    seen = {hit.split(":")[0] for hit in personal_values_left(known)}  # the scan sees them before erasure
    assert {
        "customers.Customer.email",
        "customers.Customer.first_name",
        "customers.Customer.phone",
        "bookings.Booking.special_requests",
        "bookings.BookingRoom.guest_name",
        "bookings.AuditEntry.after",
        f"{Delivery._meta.label}.recipient",
    } <= seen
    totals = [(get_booking(pk).total, get_booking(pk).status, get_booking(pk).check_out) for pk in booking_ids]
    customer_erase(customer_id=guest.id, actor=STAFF)
    assert personal_values_left(known) == []
    assert [(get_booking(pk).total, get_booking(pk).status, get_booking(pk).check_out) for pk in booking_ids] == totals
    assert totals[0][0] == Decimal("300.00")
    with pytest.raises(NotFound) as exc:
        get_customer(guest.id)  # other contexts must treat an erased guest as gone
    assert exc.value.code == "customer_erased"
    erased = Customer.objects.get(pk=guest.id)
    assert (erased.email, erased.first_name, erased.phone, erased.marketing_consent) == (
        f"erased-{guest.id}@erased.invalid",
        "",
        "",
        False,
    )
    assert erased.erased_at is not None
    assert get_booking(booking_ids[0]).special_requests == "[erased]"
    assert get_booking(booking_ids[0]).rooms[0].guest_name == "[erased]"
    export = customer_export(customer_id=guest.id)
    assert export["bookings"][0]["audit"][-1]["action"] == "personal_data_erased"


def test_erase_is_idempotent_and_unknown_customer_is_not_found(guest_with_history) -> None:
    guest, _ = guest_with_history
    first = customer_erase(customer_id=guest.id, actor=STAFF)
    again = customer_erase(customer_id=guest.id, actor=STAFF)
    assert again.erased_at == first.erased_at
    with pytest.raises(NotFound):
        customer_erase(customer_id=guest.id + 100, actor=STAFF)


def test_a_new_profile_can_be_made_with_the_erased_email(guest_with_history) -> None:
    guest, _ = guest_with_history
    customer_erase(customer_id=guest.id, actor=STAFF)
    again = upsert_customer(email=EMAIL, first_name=FIRST, last_name=LAST)
    assert again.id != guest.id
