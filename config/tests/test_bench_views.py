"""The bench's unauthenticated endpoints exist only when BENCH_VIEWS is on (never by default)."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_bench_endpoints_are_not_mounted_by_default(client) -> None:
    assert settings.BENCH_VIEWS is False
    for path in ("/bench/plain", "/bench/drf", "/bench/search"):
        assert client.get(path, secure=True).status_code == 404
    for path in ("/bench/raw-book", "/bench/naive-book", "/bench/service-book"):
        assert client.post(path, {}, secure=True).status_code == 404


@pytest.mark.urls("bench.web.urls")
def test_bench_views_when_mounted(client) -> None:
    assert client.get("/plain", secure=True).json() == {"ok": True}
    assert client.get("/drf", secure=True).json() == {"ok": True}
    bad = client.post("/raw-book", "not json", content_type="application/json", secure=True)
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid")
    missing = client.post("/service-book", {"room_type_id": 1}, content_type="application/json", secure=True)
    assert (missing.status_code, missing.json()["code"]) == (400, "invalid")
