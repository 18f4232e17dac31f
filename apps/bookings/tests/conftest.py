"""Bookings fixtures: a hotel with an open calendar and a controllable clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from apps.bookings.tests.factories import Hotel, make_hotel
from apps.bookings.tests.helpers import ARRIVAL, Clock


@pytest.fixture
def hotel(db: None) -> Hotel:
    return make_hotel(start=ARRIVAL - timedelta(days=2))


@pytest.fixture
def clock() -> Iterator[Clock]:
    real = timezone.now
    clock = Clock()
    with mock.patch("django.utils.timezone.now", side_effect=lambda: clock.now or real()):
        yield clock
