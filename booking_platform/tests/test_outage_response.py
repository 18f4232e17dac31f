"""handler500 answers a database outage with 503: problem+json under /api/, a page elsewhere; other errors stay 500."""

import json

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from booking_platform.web import server_error


def _answer(path: str, exc: Exception):
    request = RequestFactory().post(path)
    try:
        raise exc
    except Exception:  # noqa: BLE001 - Django calls handler500 inside its own except block, like this
        return server_error(request)


def test_an_outage_under_the_api_is_problem_json() -> None:
    response = _answer("/api/v1/holds", OperationalError("couldn't get a connection after 3.00 sec"))
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "30"
    assert json.loads(response.content) == {
        "type": "urn:problem:service_unavailable",
        "title": "Service unavailable",
        "status": 503,
        "detail": "The database cannot be reached; nothing was changed. Try again later.",
        "code": "service_unavailable",
        "instance": "/api/v1/holds",
    }


def test_an_outage_on_a_page_is_a_short_html_page() -> None:
    response = _answer("/admin/login/", OperationalError("connection refused"))
    assert response.status_code == 503
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert b"<h1>Temporarily unavailable</h1>" in response.content
    assert b"connection refused" not in response.content


@pytest.mark.parametrize("exc", [ValueError("bug"), KeyError("x")])
def test_any_other_error_stays_a_500(exc: Exception) -> None:
    assert _answer("/api/v1/holds", exc).status_code == 500
