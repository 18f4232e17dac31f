"""The live OpenAPI schema, served without any CDN, and a schemathesis run against it.

Schemathesis calls every operation in-process (WSGI) as an authenticated partner with generated
input and checks: no 5xx, only documented status codes and content types, bodies that match the
schema. Examples per operation are bounded (SCHEMATHESIS_MAX_EXAMPLES, default 10) to keep CI fast.
"""

from __future__ import annotations

import os
import uuid

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from apps.partners.tests.factories import make_partner

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "10"))
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


def test_schema_and_docs_are_served_without_a_cdn(db, client) -> None:
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/holds/" in paths
    assert "/api/v1/bookings/{reference}/cancel/" in paths
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "<script>" not in html  # no inline script: the init script is its own URL (CSP script-src 'self')
    script = client.get("/api/v1/docs/?script=")
    assert (script.status_code, script["Content-Type"].split(";")[0]) == (200, "application/javascript")
    assert "/api/v1/schema/" in script.content.decode()
    assert "https://" not in html.replace("https://swagger.io", "")


# Loaded at collection: the schema view needs no database (public, generated from the code).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.fixture
def keep_connection():
    """Schemathesis calls the WSGI app directly, so Django would close the test's connection after each
    request (PostgreSQL then refuses to reopen it inside the test transaction); its test client avoids
    this the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzzer(hotel, keep_connection):
    return make_partner(slug="fuzzer", property_ids=[hotel.property_id], rate_limit_per_minute=100_000)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
@pytest.mark.django_db
def test_no_operation_breaks_its_schema(case, fuzzer) -> None:
    headers = {"Authorization": f"Api-Key {fuzzer.key}", "Idempotency-Key": str(uuid.uuid4())}
    case.call_and_validate(headers=headers, checks=CHECKS)
