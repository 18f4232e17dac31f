"""Debug off means safe defaults: HTTPS, CSP, Permissions-Policy, throttled admin logins, a closed /metrics."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from config.tests.servers import ROOT

SECURITY = [
    "HTTPS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "METRICS_PUBLIC",
    "ALLOW_CONSOLE_BACKENDS",
]


def settings_under(**env: str) -> dict[str, object]:
    """The security settings a fresh process computes from exactly this environment."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "METRICS_", "ALLOW_"))}
    environment.update({"DJANGO_SECRET_KEY": "defaults-test-key", **env})
    code = (
        f"import json; from config import settings as s; print(json.dumps({{n: getattr(s, n) for n in {SECURITY!r}}}))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_debug_off_means_https_and_closed_doors_by_default() -> None:
    assert settings_under() == {
        "HTTPS": True,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_PRELOAD": False,  # only when asked: leaving the preload list takes months
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "METRICS_PUBLIC": False,
        "ALLOW_CONSOLE_BACKENDS": False,
    }


def test_https_is_an_explicit_opt_out_and_preload_an_explicit_opt_in() -> None:
    opted_out = settings_under(DJANGO_HTTPS="false")
    assert (opted_out["HTTPS"], opted_out["SECURE_SSL_REDIRECT"], opted_out["SESSION_COOKIE_SECURE"]) == (
        False,
        False,
        False,
    )
    assert settings_under(DJANGO_HSTS_PRELOAD="true")["SECURE_HSTS_PRELOAD"] is True


def test_debug_on_keeps_the_laptop_defaults() -> None:
    laptop = settings_under(DJANGO_DEBUG="true")
    assert (laptop["HTTPS"], laptop["METRICS_PUBLIC"], laptop["ALLOW_CONSOLE_BACKENDS"]) == (False, True, True)


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_and_a_permissions_policy(client: Client) -> None:
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert set(response["Content-Security-Policy"].split("; ")) == {
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    }
    assert response["Permissions-Policy"] == (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
    )


@pytest.mark.django_db
def test_metrics_without_a_token_are_closed_unless_made_public(client: Client, settings) -> None:
    settings.METRICS_TOKEN, settings.METRICS_PUBLIC = "", False
    closed = client.get("/metrics")
    settings.METRICS_PUBLIC = True
    public = client.get("/metrics")
    assert (closed.status_code, closed.content) == (403, b"metrics are off: set METRICS_TOKEN\n")
    assert public.status_code == 200


@pytest.mark.django_db
def test_admin_logins_are_throttled_in_the_database_and_failures_logged(client: Client, settings, caplog) -> None:
    from axes.models import AccessAttempt

    get_user_model().objects.create_superuser("staff", "staff@hotel.example", "right-horse-battery")
    form = {"username": "staff", "password": "wrong"}
    with caplog.at_level(logging.WARNING, logger="axes"):
        failures = [client.post("/admin/login/", form).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    locked = client.post("/admin/login/", {"username": "staff", "password": "right-horse-battery"})
    assert failures == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert locked.status_code == 429  # even the right password, until the cool-off ends
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get()
    # The locked-out try counts too, right password or not.
    assert (attempt.username, attempt.failures_since_start) == ("staff", settings.AXES_FAILURE_LIMIT + 1)
    failure_logs = [r for r in caplog.records if r.levelname == "WARNING" and "login failure by" in r.getMessage()]
    assert len(failure_logs) == settings.AXES_FAILURE_LIMIT + 1  # one WARNING per failure, the locked try too
    assert all("right-horse-battery" not in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_another_client_ip_is_not_locked_out_by_someone_elses_failures(settings) -> None:
    get_user_model().objects.create_superuser("staff", "staff@hotel.example", "right-horse-battery")
    attacker, staff = Client(REMOTE_ADDR="203.0.113.9"), Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/admin/login/", {"username": "staff", "password": "wrong"})
    response = staff.post("/admin/login/?next=/admin/", {"username": "staff", "password": "right-horse-battery"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
