"""Staff typing a bad value into the catalogue admin get a form error on that field, and nothing changes.

The model validators are what the admin's ModelForms run, so these tests post real forms
through the test client as staff would.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import models
from django.test import Client

from apps.availability.models import RatePlan
from apps.availability.tests.factories import PropertyFactory, RatePlanFactory, RoomFactory, RoomTypeFactory

pytestmark = pytest.mark.django_db


def _form_data(client: Client, url: str) -> dict[str, object]:
    """What the change page would post back unchanged: the main form and every inline's management form."""
    context = client.get(url).context
    form = context["adminform"].form
    data: dict[str, object] = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None and value is not False:
            data[name] = value  # BoundField.value() is already what the widget renders
    for formset in context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
    return data


def _post(client: Client, row: models.Model, **changes: object):
    url = f"/admin/availability/{row._meta.model_name}/{row.pk}/change/"
    data = _form_data(client, url)
    data.update(changes)
    return client.post(url, {key: value for key, value in data.items() if value is not None})


def _errors(response) -> list[str]:
    return re.findall(r'<ul class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', response.content.decode(), re.S)


def _fields(row: models.Model, names: tuple[str, ...]) -> tuple:
    return tuple(type(row).objects.filter(pk=row.pk).values_list(*names).get())


def test_an_unchanged_post_saves(admin_client: Client) -> None:
    """The helper posts a valid form: the refusals below are the bad value's, not the helper's."""
    prop = PropertyFactory(name="Old name")
    response = _post(admin_client, prop, name="New name")
    assert response.status_code == 302, _errors(response)
    assert _fields(prop, ("name",)) == ("New name",)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tax_percent", "-100", "greater than or equal to 0"),
        ("tax_percent", "-50", "greater than or equal to 0"),
        ("tax_percent", "999.99", "less than or equal to 99.99"),
        ("city_tax_per_person_night", "-10", "greater than or equal to 0"),
        ("currency", "XXX", "is not an ISO 4217 currency in use"),
        ("currency", "XTS", "is not an ISO 4217 currency in use"),
        ("name", "Grand Hotel\r\nBcc: x@example.com", "must be one line without control characters"),
        ("city", "Berlin\x07", "must be one line without control characters"),
    ],
)
def test_property_admin_refuses_bad_values(admin_client: Client, field: str, value: str, message: str) -> None:
    prop = PropertyFactory(name="Grand Hotel", city="Berlin", currency="EUR", tax_percent=Decimal("7.00"))
    before = _fields(prop, ("name", "city", "currency", "tax_percent", "city_tax_per_person_night"))

    response = _post(admin_client, prop, **{field: value})

    assert response.status_code == 200
    assert any(message in error for error in _errors(response)), _errors(response)
    assert _fields(prop, ("name", "city", "currency", "tax_percent", "city_tax_per_person_night")) == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("default_price", "-5", "greater than or equal to 0"),
        ("default_price", "9999999.999", "decimal places"),
        ("default_extra_adult_price", "-1", "greater than or equal to 0"),
        ("name", "Double\nRoom", "must be one line without control characters"),
        ("amenities", '["wifi", "balcony\\n"]', "must be one line without control characters"),
        ("amenities", '["wifi\\u0000"]', "must not contain NUL bytes"),
    ],
)
def test_room_type_admin_refuses_bad_values(admin_client: Client, field: str, value: str, message: str) -> None:
    room_type = RoomTypeFactory(name="Double", default_price=Decimal("100.00"), amenities=["wifi"])
    names = ("name", "default_price", "default_extra_adult_price", "amenities")
    before = _fields(room_type, names)

    response = _post(admin_client, room_type, **{field: value})

    assert response.status_code == 200
    assert any(message in error for error in _errors(response)), _errors(response)
    assert _fields(room_type, names) == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("fee_percent", "-50", "greater than or equal to 0"),
        ("fee_percent", "500", "less than or equal to 100"),
        ("name", "Flex\r\nible", "must be one line without control characters"),
        ("name", "Flex\x1bible", "must be one line without control characters"),
    ],
)
def test_rate_plan_admin_refuses_bad_values(admin_client: Client, field: str, value: str, message: str) -> None:
    plan = RatePlanFactory(name="Flexible", fee_kind=RatePlan.Fee.PERCENT, fee_percent=Decimal("25.00"))
    before = _fields(plan, ("name", "fee_percent"))

    response = _post(admin_client, plan, **{field: value})

    assert response.status_code == 200
    assert any(message in error for error in _errors(response)), _errors(response)
    assert _fields(plan, ("name", "fee_percent")) == before


@pytest.mark.parametrize(("field", "value"), [("room_number", "10\r\n1"), ("floor", "1\t2")])
def test_room_admin_refuses_control_characters(admin_client: Client, field: str, value: str) -> None:
    room = RoomFactory(room_number="101", floor="1")

    response = _post(admin_client, room, **{field: value})

    assert response.status_code == 200
    assert any("must be one line without control characters" in error for error in _errors(response))
    assert _fields(room, ("room_number", "floor")) == ("101", "1")
