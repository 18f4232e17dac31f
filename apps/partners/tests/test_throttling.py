"""Rate limits: per partner (its own number), per IP without a key; 429 with Retry-After; Redis down: serve."""

from __future__ import annotations

import pytest
import redis
from rest_framework.test import APIClient

from apps.partners.tests.factories import make_partner
from booking_platform.events.testing import RedisServer

pytestmark = pytest.mark.django_db


def test_a_partner_over_its_own_limit_gets_429_with_retry_after(hotel) -> None:
    slow = make_partner(slug="slow", property_ids=[hotel.property_id], rate_limit_per_minute=3)
    codes = [slow.client.get("/api/v1/properties/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = slow.client.get("/api/v1/properties/")
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_limits_are_per_partner(hotel, settings) -> None:
    settings.API_PARTNER_RATE_PER_MINUTE = 2
    first = make_partner(slug="first", property_ids=[hotel.property_id])
    second = make_partner(slug="second", property_ids=[hotel.property_id])
    assert [first.client.get("/api/v1/properties/").status_code for _ in range(3)] == [200, 200, 429]
    assert second.client.get("/api/v1/properties/").status_code == 200


def test_calls_without_a_valid_key_are_limited_per_ip(db, settings) -> None:
    settings.API_ANON_RATE_PER_MINUTE = 2
    guesser = APIClient(REMOTE_ADDR="203.0.113.9")
    guesser.credentials(HTTP_AUTHORIZATION="Api-Key bpk_guess_guess")
    assert [guesser.get("/api/v1/bookings/").status_code for _ in range(3)] == [401, 401, 429]
    assert APIClient(REMOTE_ADDR="203.0.113.10").get("/api/v1/bookings/").status_code == 401


def test_the_schema_is_public_but_limited_per_ip(db, settings) -> None:
    settings.API_ANON_RATE_PER_MINUTE = 1
    client = APIClient(REMOTE_ADDR="198.51.100.7")
    assert [client.get("/api/v1/schema/").status_code for _ in range(2)] == [200, 429]


@pytest.mark.redis
def test_the_limit_is_shared_through_redis(hotel, settings, require_redis) -> None:
    settings.API_RATELIMIT_REDIS_URL = require_redis
    redis.Redis.from_url(require_redis).flushdb()
    slow = make_partner(slug="shared", property_ids=[hotel.property_id], rate_limit_per_minute=2)
    assert [slow.client.get("/api/v1/properties/").status_code for _ in range(3)] == [200, 200, 429]
    keys = redis.Redis.from_url(require_redis).keys(f"bp:ratelimit:p{slow.partner.pk}:*")
    assert len(keys) == 1


@pytest.mark.redis
def test_when_redis_is_unreachable_the_api_keeps_serving(hotel, settings, caplog) -> None:
    server = RedisServer()  # a throwaway Redis on a free port that we may stop; never the machine's own
    if not server.binary:
        pytest.skip("redis-server is not installed")
    server.start()
    try:
        settings.API_RATELIMIT_REDIS_URL = server.url(0)
        slow = make_partner(slug="resilient", property_ids=[hotel.property_id], rate_limit_per_minute=1)
        assert [slow.client.get("/api/v1/properties/").status_code for _ in range(2)] == [200, 429]
    finally:
        server.stop()
    codes = [slow.client.get("/api/v1/properties/").status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    assert "rate limiter unavailable, request allowed" in caplog.text
