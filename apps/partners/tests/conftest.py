"""A hotel open for sale from ARRIVAL, a partner allowed to sell it, and another partner."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache

from apps.bookings.tests.factories import Hotel, make_hotel
from apps.partners import throttling
from apps.partners.tests.factories import PartnerClient, make_partner

ARRIVAL = date(2030, 3, 10)
_keys = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_limits(settings: Any) -> None:
    settings.API_RATELIMIT_REDIS_URL = ""  # per-process counter unless a test asks for Redis
    throttling._memory.clear()
    cache.clear()


@pytest.fixture
def hotel(db: None) -> Hotel:
    return make_hotel(start=ARRIVAL - timedelta(days=2), sellable=6)


@pytest.fixture
def partner(hotel: Hotel) -> PartnerClient:
    return make_partner(slug="acme", property_ids=[hotel.property_id])


@pytest.fixture
def other_partner(hotel: Hotel) -> PartnerClient:
    return make_partner(slug="globex", property_ids=[hotel.property_id])


def idem() -> dict[str, str]:
    """A fresh Idempotency-Key header."""
    return {"HTTP_IDEMPOTENCY_KEY": f"test-key-{next(_keys)}"}
