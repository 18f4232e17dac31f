from __future__ import annotations

import pytest

from apps.customers.interface import CustomerInfo, get_customer, upsert_customer
from apps.customers.models import Customer
from booking_platform.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


def test_upsert_creates_profile_with_normalised_email_and_e164_phone() -> None:
    info = upsert_customer(
        email="  Anna.Berg@Example.COM ",
        first_name="Anna",
        last_name="Berg",
        phone="030 901820",
        country="de",
        language="DE",
        marketing_consent=True,
    )
    assert info == CustomerInfo(
        id=info.id,
        email="anna.berg@example.com",
        first_name="Anna",
        last_name="Berg",
        phone="+4930901820",
        country="DE",
        language="de",
        marketing_consent=True,
    )
    customer = Customer.objects.get(pk=info.id)
    assert customer.marketing_consent_at is not None


def test_upsert_same_email_updates_the_one_profile() -> None:
    first = upsert_customer(email="anna@example.com", first_name="Anna", last_name="Berg")
    second = upsert_customer(email="ANNA@example.com", first_name="Anna-Maria", last_name="", phone="+33 1 42 68 53 00")
    assert second.id == first.id
    assert Customer.objects.count() == 1
    assert second.first_name == "Anna-Maria"
    assert second.last_name == "Berg"  # empty input keeps what is held
    assert second.phone == "+33142685300"
    assert second.marketing_consent is False


def test_consent_time_changes_only_when_consent_changes() -> None:
    info = upsert_customer(email="a@example.com", first_name="A", last_name="B", marketing_consent=True)
    stamped = Customer.objects.get(pk=info.id).marketing_consent_at
    upsert_customer(email="a@example.com", first_name="A", last_name="B", marketing_consent=True)
    assert Customer.objects.get(pk=info.id).marketing_consent_at == stamped
    upsert_customer(email="a@example.com", first_name="A", last_name="B", marketing_consent=False)
    customer = Customer.objects.get(pk=info.id)
    assert customer.marketing_consent is False
    assert customer.marketing_consent_at > stamped


def test_an_unchanged_profile_is_read_not_locked_or_written(django_assert_num_queries) -> None:
    info = upsert_customer(email="a@example.com", first_name="A", last_name="B", phone="+4930901820", country="DE")
    stamped = Customer.objects.get(pk=info.id).updated_at
    with django_assert_num_queries(1):  # one SELECT: no lock, no UPDATE, no savepoint
        again = upsert_customer(email="A@example.com", first_name="A", last_name="", language="en")
    assert again == info
    assert Customer.objects.get(pk=info.id).updated_at == stamped
    changed = upsert_customer(email="a@example.com", first_name="Ann", last_name="B")
    assert (changed.id, changed.first_name, changed.phone, changed.country) == (info.id, "Ann", "+4930901820", "DE")
    assert Customer.objects.get(pk=info.id).updated_at > stamped


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "a@example.com", "phone": "12"}, "phone"),
        ({"email": "a@example.com", "phone": "030 901820"}, "phone"),  # national number, no country
        ({"email": "a@example.com", "country": "Germany"}, "country"),
    ],
)
def test_invalid_input_is_refused_and_nothing_is_stored(kwargs: dict, field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        upsert_customer(first_name="A", last_name="B", **kwargs)
    assert exc.value.code == "invalid"
    assert exc.value.extra == {"field": field}
    assert Customer.objects.count() == 0


def test_get_customer() -> None:
    info = upsert_customer(email="a@example.com", first_name="A", last_name="B")
    assert get_customer(info.id) == info
    with pytest.raises(NotFound) as exc:
        get_customer(info.id + 1)
    assert exc.value.code == "customer_not_found"
