"""A hotel with an admin team and alert phones, a guest, and real SMTP/SMS servers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from apps.availability.tests.factories import PropertyFactory
from apps.bookings.tests.factories import Hotel, make_hotel
from apps.bookings.tests.helpers import ARRIVAL
from apps.customers.tests.factories import CustomerFactory
from booking_platform.notifications.testing import SmsSink, SmtpSink, sms_delivery, smtp_delivery

ADMINS = ["frontdesk@hotel.example", "manager@hotel.example"]
PHONES = ["+4930111111"]


@pytest.fixture
def hotel(transactional_db: None) -> Hotel:
    made = make_hotel(start=ARRIVAL - timedelta(days=2))
    PropertyFactory._meta.model.objects.filter(pk=made.property_id).update(
        name="Hotel Kastanie", admin_emails=ADMINS, alert_phones=PHONES
    )
    return made


@pytest.fixture
def guest(transactional_db: None):
    return CustomerFactory(email="anna@guest.example", first_name="Anna", last_name="Berg", language="de")


@pytest.fixture
def smtp(settings) -> Iterator[SmtpSink]:
    with smtp_delivery(settings) as sink:
        yield sink


@pytest.fixture
def sms(settings) -> Iterator[SmsSink]:
    with sms_delivery(settings) as sink:
        yield sink
