"""gunicorn as production runs it: the image's HEALTHCHECK, JSON logs, start-up refusals, metrics across workers."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from config.tests.servers import ROOT, base_env, fetch, gunicorn, migrate

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def healthcheck_command() -> list[str]:
    """The exec-form CMD of the Dockerfile's HEALTHCHECK, with this interpreter for ``python``."""
    line = next(line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("HEALTHCHECK"))
    command = json.loads(line.split(" CMD ", 1)[1])
    assert command[0] == "python"
    return [sys.executable, *command[1:]]


def test_the_dockerfile_healthcheck_passes_against_gunicorn_whatever_the_allowed_hosts(tmp_path: Path) -> None:
    env = base_env(tmp_path, DJANGO_ALLOWED_HOSTS="bookings.example.com")
    with gunicorn(env) as server:
        check = subprocess.run(healthcheck_command(), env={**env, "PORT": str(server.port)}, capture_output=True)
        admin = fetch(f"{server.url}/admin/login/")
    assert check.returncode == 0, check.stderr.decode()
    assert admin[0] == 400  # only the probes answer the pod's own address
    assert "Traceback" not in server.output


def test_gunicorn_logs_json_lines_with_utc_iso_times(tmp_path: Path) -> None:
    with gunicorn(base_env(tmp_path)) as server:
        fetch(f"{server.url}/healthz")
    lines = [line for line in server.output.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line, gunicorn's own included, is JSON
    gunicorn_own = [r for r in records if r["logger"] == "gunicorn.error"]
    assert any(r["message"].startswith("Booting worker with pid") for r in gunicorn_own)
    assert any(r["message"] == "Shutting down: Master" for r in gunicorn_own)
    assert all(ISO_UTC.match(r["time"]) for r in records), records


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def test_metrics_count_requests_by_route_and_status_across_two_workers(tmp_path: Path) -> None:
    env = base_env(tmp_path, WEB_CONCURRENCY="2", GUNICORN_THREADS="1", METRICS_TOKEN="scrape-secret")
    migrate(env)
    with gunicorn({**env, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus")}) as server:
        deadline = time.monotonic() + 30
        while len(_children(server.process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda _: fetch(f"{server.url}/readyz")[0], range(40)))
            statuses += list(pool.map(lambda _: fetch(f"{server.url}/no/such/page")[0], range(6)))
        scrapes = [fetch(f"{server.url}/metrics", headers={"Authorization": "Bearer scrape-secret"}) for _ in range(4)]
        refused = fetch(f"{server.url}/metrics")[0]
        pids = {int(p.stem.rsplit("_", 1)[1]) for p in (tmp_path / "prometheus").glob("*.db")}
    assert statuses == [200] * 40 + [404] * 6
    assert refused == 401
    assert len(pids) == 2, "both workers served requests"
    for status, _, body in scrapes:  # every worker answers with the sum of all workers
        text = body.decode()
        assert status == 200
        assert 'bp_http_requests_total{method="GET",route="/readyz",status="200"} 40.0' in text
        assert 'bp_http_requests_total{method="GET",route="unmatched",status="404"} 6.0' in text
        assert 'bp_http_request_duration_seconds_count{method="GET",route="/readyz",status="200"} 40.0' in text
        assert (
            'bp_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/readyz",status="200"} 40.0' in text
        )
        assert "bp_events_unpublished 0.0" in text


def test_without_collectstatic_production_refuses_to_start_in_one_line(tmp_path: Path) -> None:
    env = base_env(tmp_path, DJANGO_STATIC_MANIFEST="true", DJANGO_STATIC_ROOT=str(tmp_path / "static"))
    with gunicorn(env, wait=False) as server:
        server.process.wait(timeout=30)
    assert server.process.returncode == 1
    manifest = tmp_path / "static" / "staticfiles.json"
    expected = (
        f"booking_platform: web refuses to start: no {manifest}: "
        "run `manage.py collectstatic --noinput` before starting"
    )
    assert expected in server.output.splitlines()
    assert "Traceback" not in server.output


def test_after_collectstatic_the_admin_login_page_is_served(tmp_path: Path) -> None:
    env = base_env(tmp_path, DJANGO_STATIC_MANIFEST="true", DJANGO_STATIC_ROOT=str(tmp_path / "static"))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    migrate(env)
    with gunicorn(env) as server:
        status, _, body = fetch(f"{server.url}/admin/login/")
    assert status == 200
    assert re.search(rb'href="/static/admin/css/base\.[0-9a-f]{12}\.css"', body)


def test_console_mail_and_sms_refuse_to_start_unless_allowed(tmp_path: Path) -> None:
    env = base_env(tmp_path, EMAIL_URL="consolemail://", SMS_BACKEND="console", ALLOW_CONSOLE_BACKENDS="false")
    with gunicorn(env, wait=False) as server:
        server.process.wait(timeout=30)
    assert server.process.returncode == 1
    assert (
        "booking_platform: web refuses to start: EMAIL_URL is the console (mail would be printed, not sent); "
        "set EMAIL_URL; SMS_BACKEND is the console (SMS would be printed, not sent); set SMS_BACKEND"
    ) in server.output.splitlines()


def _with_config(tmp_path: Path, code: str, **env: str) -> list[int]:
    """The whole numbers ``code`` prints after loading config/gunicorn.conf.py as ``conf`` in a fresh process."""
    script = "import gc, runpy; conf = runpy.run_path('config/gunicorn.conf.py'); " + code
    env = {**base_env(tmp_path), "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), **env}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return [int(word) for word in done.stdout.split()]


def test_a_worker_freezes_the_loaded_app_out_of_the_garbage_collectors_reach(tmp_path: Path) -> None:
    """Full collections then skip the app's long-lived objects (a search's p99 was tens of ms higher)."""
    code = "before = gc.get_freeze_count(); conf['post_worker_init'](None); print(before, gc.get_freeze_count())"
    before, after = _with_config(tmp_path, code)
    assert before == 0
    assert after > 10_000


def test_workers_are_replaced_rarely_and_not_together_unless_told_otherwise(tmp_path: Path) -> None:
    """Each replacement re-imports the app (about 1.8 s of CPU); 0 turns replacement off."""
    code = "print(conf['max_requests'], conf['max_requests_jitter'])"
    assert _with_config(tmp_path, code) == [10_000, 1_000]
    assert _with_config(tmp_path, code, GUNICORN_MAX_REQUESTS="500") == [500, 50]
    assert _with_config(tmp_path, code, GUNICORN_MAX_REQUESTS="0") == [0, 0]


def _connection_header(port: int) -> str | None:
    """The Connection header of a plain HTTP/1.1 keep-alive request."""
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        client.request("GET", "/healthz")
        response = client.getresponse()
        response.read()
        return response.getheader("Connection")
    finally:
        client.close()


def test_connections_close_after_each_response_unless_keepalive_is_set(tmp_path: Path) -> None:
    """A new connection per request goes to whichever worker is free: kept-alive connections pile up
    on one gthread worker (the bench saw one worker at 94% CPU and the other idle)."""
    with gunicorn(base_env(tmp_path, WEB_CONCURRENCY="2")) as server:
        assert _connection_header(server.port) == "close"
    with gunicorn(base_env(tmp_path, GUNICORN_KEEPALIVE="5")) as server:
        assert _connection_header(server.port) in (None, "keep-alive")
