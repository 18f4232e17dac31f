"""Staff-entered alert addresses are checked where they are typed, not when an alert bounces."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from apps.availability.models import Property
from apps.availability.models.catalogue import validate_email_list, validate_phone_list
from apps.availability.tests.factories import PropertyFactory


def test_valid_lists_pass() -> None:
    validate_email_list(["frontdesk@hotel.example", "gm@hotel.example"])
    validate_phone_list(["+4930901820", "+14155552671"])
    validate_email_list([])
    validate_phone_list([])


@pytest.mark.parametrize(
    ("validator", "value", "message"),
    [
        (validate_email_list, "frontdesk@hotel.example", "Enter a list of addresses"),
        (validate_email_list, ["frontdesk@", "ok@hotel.example"], "'frontdesk@' is not a valid email address."),
        (validate_phone_list, ["030 901820"], "'030 901820' is not a phone number in E.164 form"),
        (validate_phone_list, ["+49 30 901820"], "'+49 30 901820' is not a phone number in E.164 form"),
        (validate_phone_list, [4930901820], "Enter a list of numbers"),
    ],
)
def test_invalid_lists_are_refused_with_the_bad_entry_named(validator, value, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        validator(value)


@pytest.mark.django_db
def test_admin_form_refuses_a_bad_alert_phone_and_changes_nothing(admin_client: Client) -> None:
    prop = PropertyFactory(alert_phones=["+4930901820"])
    url = f"/admin/availability/property/{prop.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {key: value for key, value in data.items() if value is not None}
    data.update({"alert_phones": '["12345"]', "admin_emails": '["frontdesk@hotel.example"]', "is_active": "on"})

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "is not a phone number in E.164 form" in response.content.decode()
    assert Property.objects.get(pk=prop.pk).alert_phones == ["+4930901820"]
