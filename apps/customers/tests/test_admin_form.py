"""Staff edit guest profiles under the same rules as the interface."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.customers.models import Customer
from apps.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _form(customer: Customer, **changes: object) -> dict[str, object]:
    data = {
        "email": customer.email,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "phone": customer.phone,
        "country": customer.country,
        "language": customer.language,
    }
    if customer.marketing_consent:
        data["marketing_consent"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _url(customer: Customer) -> str:
    return f"/admin/customers/customer/{customer.pk}/change/"


def test_staff_edits_are_normalised(admin_client: Client) -> None:
    customer = CustomerFactory(email="anna@example.com", country="DE", phone="")

    response = admin_client.post(_url(customer), _form(customer, email=" Anna.Berg@Example.COM ", phone="030 901820"))

    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.email, customer.phone) == ("anna.berg@example.com", "+4930901820")


def test_bad_phone_and_duplicate_email_are_form_errors_and_change_nothing(admin_client: Client) -> None:
    CustomerFactory(email="taken@example.com")
    customer = CustomerFactory(email="anna@example.com", phone="+4930901820", country="DE")

    bad_phone = admin_client.post(_url(customer), _form(customer, phone="12"))
    duplicate = admin_client.post(_url(customer), _form(customer, email="TAKEN@example.com"))

    assert bad_phone.status_code == duplicate.status_code == 200
    assert "Enter a valid phone number with country code." in bad_phone.content.decode()
    assert "Another guest profile already uses this email." in duplicate.content.decode()
    customer.refresh_from_db()
    assert (customer.email, customer.phone) == ("anna@example.com", "+4930901820")


def test_consent_change_records_its_time(admin_client: Client) -> None:
    customer = CustomerFactory(marketing_consent=False, marketing_consent_at=None)

    admin_client.post(_url(customer), _form(customer, marketing_consent="on"))

    customer.refresh_from_db()
    assert customer.marketing_consent is True
    assert customer.marketing_consent_at is not None
