"""Operators get one clear line and a non-zero exit, never a traceback (issue 8, section 4)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from config.tests.servers import ROOT, free_port


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DJANGO_SECRET_KEY": "operator-test-key", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def _machine_postgres() -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", 5432)) == 0


@pytest.mark.parametrize(
    ("url", "line"),
    [
        (
            "garbage",
            "booking_platform: configuration error: DATABASE_URL has no scheme://: "
            "use sqlite:///path, postgres://user:pw@host:5432/db or oracle://...",
        ),
        (
            "mysql://app:pw@db/hotel",
            "booking_platform: configuration error: DATABASE_URL has scheme 'mysql': "
            "use sqlite:///path, postgres://user:pw@host:5432/db or oracle://...",
        ),
        (
            "sqlite:////proc/no-such-dir/db.sqlite3",
            "booking_platform: database unavailable: unable to open database file",
        ),
    ],
)
def test_a_bad_database_url_is_one_line_and_a_non_zero_exit(url: str, line: str) -> None:
    done = manage("migrate", "--noinput", DATABASE_URL=url)
    assert done.returncode == 1
    assert done.stderr.strip() == line


def test_a_postgres_server_that_refuses_is_one_line() -> None:
    done = manage("migrate", "--noinput", DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/hotel")
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith("booking_platform: database unavailable: connection failed:")
    assert "Connection refused" in done.stderr


def test_a_database_that_does_not_exist_is_one_line() -> None:
    if not _machine_postgres():
        pytest.skip("needs the machine's PostgreSQL on 127.0.0.1:5432")
    done = manage("migrate", "--noinput", DATABASE_URL="postgres://postgres@127.0.0.1:5432/bp_ops_no_such_database")
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    assert 'FATAL: database "bp_ops_no_such_database" does not exist' in done.stderr


def test_relay_events_refuses_a_negative_limit_in_one_line() -> None:
    done = manage("relay_events", "--limit", "-1")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        "manage.py relay_events: error: argument --limit: must be a whole number of events, 1 or more, not '-1'"
    )
    assert "Traceback" not in done.stderr


def test_oracle_sql_refuses_an_unsupported_version() -> None:
    with pytest.raises(CommandError) as caught:
        call_command("oracle_sql", "--oracle-version", "7", "--quiet")
    assert str(caught.value) == "Error: argument --oracle-version: Django 5.2 supports Oracle 19 and later, not '7'"


@pytest.mark.django_db
def test_reconcile_inventory_refuses_a_start_after_the_end() -> None:
    with pytest.raises(CommandError) as caught:
        call_command("reconcile_inventory", "--start", "2027-01-10", "--end", "2027-01-01")
    assert str(caught.value) == "--start 2027-01-10 must be before --end 2027-01-01 (--end is the night after the last)"


@pytest.mark.django_db
def test_extend_inventory_refuses_an_unknown_property() -> None:
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("extend_inventory", "--property", "999", stdout=out)
    assert str(caught.value) == "no active property with active room types has id 999"
    assert out.getvalue() == ""


@pytest.mark.django_db
def test_purge_personal_data_says_what_older_than_means() -> None:
    with pytest.raises(CommandError) as caught:
        call_command("purge_personal_data", "--dry-run")
    assert str(caught.value) == (
        "--older-than DAYS is required: erase customers with no stay and no sign-up in the last DAYS days "
        "(the retention period), e.g. --older-than 1095"
    )


@pytest.mark.django_db
def test_replay_events_with_its_default_consumer_works_in_the_embedded_default(settings) -> None:
    if settings.REDIS_URL:
        pytest.skip("the embedded default only (REDIS_URL is set, so the stream consumer exists)")
    out = StringIO()
    call_command("replay_events", "--since", "2026-01-01", "--until", "2026-02-01", stdout=out)
    assert out.getvalue().startswith("replay_events: dispatched 0 event(s) to ")
    assert "stream" not in out.getvalue()


def test_make_run_honours_port(tmp_path: Path) -> None:
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", "run"],
        cwd=ROOT,
        env={**os.environ, "PORT": "8123"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last.endswith("manage.py runserver 127.0.0.1:8123")
    assert "ALLOW_CONSOLE_BACKENDS=${ALLOW_CONSOLE_BACKENDS:-true}" in last
