"""Guest profiles refuse text no column or email header can carry, by field, and store nothing.

Runs on SQLite and PostgreSQL: a NUL byte used to be a DataError there, a lone surrogate a
UnicodeEncodeError, and a CR/LF in a name went into the greeting of every email.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.customers.interface import upsert_customer
from apps.customers.models import Customer
from apps.customers.tests.factories import CustomerFactory
from booking_platform.errors import ValidationFailed

pytestmark = pytest.mark.django_db
GOOD = {"email": "anna@example.com", "first_name": "Anna", "last_name": "Berg", "phone": "+4930901820"}


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"first_name": "An\x00na"}, "first_name", "invalid_characters"),
        ({"first_name": "An\ud800na"}, "first_name", "invalid_characters"),
        ({"first_name": "Anna\r\nBcc: x@y"}, "first_name", "invalid_characters"),
        ({"last_name": "Berg\x00"}, "last_name", "invalid_characters"),
        ({"last_name": "B" * 101}, "last_name", "too_long"),
        ({"last_name": ["Berg"]}, "last_name", "invalid"),
        ({"email": "anna\x00@example.com"}, "email", "invalid_characters"),
        ({"email": "anna@exa\udc80mple.com"}, "email", "invalid_characters"),
        ({"email": '"\x01"@example.com'}, "email", "invalid_characters"),
        ({"phone": "+49 30\x00901820"}, "phone", "invalid_characters"),
        ({"phone": "+4930901820\ud800"}, "phone", "invalid_characters"),
        ({"country": "D\x00"}, "country", "invalid_characters"),
        ({"language": "de\x00"}, "language", "invalid_language"),
        ({"language": "\udfff"}, "language", "invalid_language"),
        ({"language": "en\nBcc: x@y"}, "language", "invalid_language"),
        ({"language": "zz"}, "language", "invalid_language"),
        ({"language": "und"}, "language", "invalid_language"),
    ],
)
def test_bad_text_is_refused_by_field_and_nothing_is_stored(change: dict, field: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        upsert_customer(**{**GOOD, **change})

    assert (caught.value.code, caught.value.extra) == (code, {"field": field})
    assert Customer.objects.count() == 0


def test_a_returning_guest_with_bad_text_keeps_the_profile_as_it_was() -> None:
    first = upsert_customer(**GOOD, language="de")

    with pytest.raises(ValidationFailed):
        upsert_customer(**{**GOOD, "first_name": "Eve\r\nX-Injected: 1", "language": "fr"})

    customer = Customer.objects.get(pk=first.id)
    assert (customer.first_name, customer.language) == ("Anna", "de")


def test_names_in_any_script_and_regional_languages_pass() -> None:
    info = upsert_customer(email="z@example.com", first_name=" Zoë ", last_name="Łukasz-O'Brien 李", language="pt-BR")
    assert (info.first_name, info.last_name, info.language) == ("Zoë", "Łukasz-O'Brien 李", "pt-br")


@pytest.mark.parametrize(
    ("field", "value"),
    [("first_name", "Anna\nBerg"), ("last_name", "Berg\x1b[31m"), ("language", "xx"), ("language", "en\r\n")],
)
def test_model_validators_refuse_what_the_service_refuses(field: str, value: str) -> None:
    customer = CustomerFactory.build(email="m@example.com")
    setattr(customer, field, value)
    with pytest.raises(ValidationError) as caught:
        customer.full_clean()
    assert list(caught.value.message_dict) == [field]
