"""The database goes away under a running gunicorn: fast 503s, live probes, and nothing personal sent to Sentry."""

from __future__ import annotations

import re
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from config.tests.servers import base_env, fetch, gunicorn, http_sink, migrate, throwaway_postgres

GUEST_EMAIL = "jane.guest@example.com"
GUEST_PHONE = "+4930123456789"


def _login_form(url: str) -> tuple[str, str]:
    """The CSRF cookie and form token of the admin login page (read while the database is up)."""
    status, headers, body = fetch(f"{url}/admin/login/")
    assert status == 200
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    return cookie, token


def _post_login(url: str, cookie: str, token: str) -> tuple[int, dict, bytes, float]:
    form = {"csrfmiddlewaretoken": token, "username": GUEST_EMAIL, "password": "s3cret-pass", "phone": GUEST_PHONE}
    started = time.monotonic()
    status, headers, body = fetch(
        f"{url}/admin/login/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Cookie": f"csrftoken={cookie}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    return status, headers, body, time.monotonic() - started


def _wait_for_events(sink, seconds: float = 15) -> list[dict]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not sink.envelopes():
        time.sleep(0.2)
    return sink.envelopes()


def test_an_unreachable_database_is_a_503_page_and_sentry_gets_no_personal_data(tmp_path: Path) -> None:
    with http_sink() as sink:
        env = base_env(tmp_path, SENTRY_DSN=f"http://publickey@127.0.0.1:{sink.port}/1", SENTRY_ENVIRONMENT="test")
        migrate(env)
        with gunicorn(env) as server:
            cookie, token = _login_form(server.url)
            for suffix in ("", "-wal", "-shm"):  # the database file is gone: every query now fails
                Path(f"{tmp_path / 'db.sqlite3'}{suffix}").unlink(missing_ok=True)
            status, headers, body, _ = _post_login(server.url, cookie, token)
            health = fetch(f"{server.url}/healthz")[0]
            events = _wait_for_events(sink)
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"<h1>Temporarily unavailable</h1>" in body
    assert health == 200
    assert events, "the outage reached Sentry"
    assert any("OperationalError" in str(event.get("exception")) for event in events)
    received = sink.text()
    assert GUEST_EMAIL not in received
    assert GUEST_PHONE not in received
    assert "s3cret-pass" not in received
    for event in events:
        assert "data" not in event.get("request", {})
        for exception in (event.get("exception") or {}).get("values", []):
            assert all("vars" not in frame for frame in exception["stacktrace"]["frames"])


def test_postgres_stopped_mid_run_gives_fast_503s_and_healthz_stays_up(tmp_path: Path) -> None:
    with throwaway_postgres() as postgres:
        if postgres is None:
            pytest.skip("needs PostgreSQL's initdb/pg_ctl binaries (and runuser when root)")
        env = base_env(
            tmp_path,
            DATABASE_URL=postgres.url,
            DB_POOL_TIMEOUT="1",
            DB_CONNECT_TIMEOUT="1",
            GUNICORN_THREADS="4",
        )
        migrate(env)
        with gunicorn(env) as server:
            cookie, token = _login_form(server.url)
            assert fetch(f"{server.url}/readyz")[0] == 200
            postgres.stop()
            with ThreadPoolExecutor(max_workers=8) as pool:
                posts = [pool.submit(_post_login, server.url, cookie, token) for _ in range(6)]
                probes = [pool.submit(_timed, f"{server.url}/healthz") for _ in range(4)]
                logins = [future.result() for future in posts]
                health = [future.result() for future in probes]
            ready = fetch(f"{server.url}/readyz")
    assert [status for status, *_ in logins] == [503] * 6
    assert all(b"<h1>Temporarily unavailable</h1>" in body for _, _, body, _ in logins)
    # A 1 s pool wait and a 1 s connect timeout: each answer comes in seconds, not after a 10-30 s pile-up.
    assert max(seconds for *_, seconds in logins) < 8, logins
    assert [status for status, _ in health] == [200] * 4
    assert max(seconds for _, seconds in health) < 8, health
    assert ready[0] == 503
    assert ready[2] == b'{"status": "unavailable", "checks": {"database": {"ok": false, "error": "unavailable"}}}'


def _timed(url: str) -> tuple[int, float]:
    started = time.monotonic()
    status = fetch(url)[0]
    return status, time.monotonic() - started
