"""rediss:// as OCI Cache serves it: a throwaway TLS-only redis-server with a test CA (trustme).

The cache, the event stream, Celery's broker and /readyz must all verify the server: with the
CA they work, without it they refuse (certificate verify failed), never fall back to plain TCP.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from django.conf import settings
from django.core.cache import caches
from django.test import Client, override_settings
from kombu import Connection

from config.redis_tls import broker_ssl_options, redis_url_with_ca

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def tls_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(rediss URL, CA file) of a redis-server that only speaks TLS; stopped afterwards."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("needs the redis-server binary (Debian redis-server)")
    folder = tmp_path_factory.mktemp("tls-redis")
    ca = trustme.CA()
    cert = ca.issue_cert("localhost", "127.0.0.1")
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    cert.private_key_pem.write_to_path(str(folder / "server.key"))
    cert.cert_chain_pems[0].write_to_path(str(folder / "server.pem"))
    port = _free_port()
    proc = subprocess.Popen(
        [binary, "--port", "0", "--tls-port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(folder), "--tls-cert-file", str(folder / "server.pem"), "--tls-key-file",
         str(folder / "server.key"), "--tls-ca-cert-file", str(folder / "ca.pem"), "--tls-auth-clients", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for_port(port, proc)
        yield f"rediss://127.0.0.1:{port}", str(folder / "ca.pem")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _wait_for_port(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"TLS redis-server exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail("TLS redis-server did not listen")


def _cache_settings(url: str) -> dict:
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}


def test_url_gains_verification_and_ca_only_for_rediss() -> None:
    assert redis_url_with_ca("redis://r:6379/0", ca_file="/ca.pem") == "redis://r:6379/0"
    assert redis_url_with_ca("rediss://r:6379/0", ca_file="") == "rediss://r:6379/0?ssl_cert_reqs=required"
    assert (
        redis_url_with_ca("rediss://:pw@r:6379/2", ca_file="/etc/bp/ca.pem")
        == "rediss://:pw@r:6379/2?ssl_cert_reqs=required&ssl_ca_certs=%2Fetc%2Fbp%2Fca.pem"
    )
    assert broker_ssl_options("redis://r:6379/1") is None
    assert broker_ssl_options("memory://") is None


@pytest.mark.django_db
def test_cache_and_readyz_work_over_verified_tls(tls_redis: tuple[str, str], client: Client) -> None:
    url, ca = tls_redis
    with override_settings(CACHES=_cache_settings(redis_url_with_ca(f"{url}/0", ca_file=ca)), REDIS_URL=url):
        caches["default"].set("tls-probe", "over-tls", 30)
        assert caches["default"].get("tls-probe") == "over-tls"
        response = client.get("/readyz")
    body = json.loads(response.content)
    assert response.status_code == 200, body
    assert body["checks"]["cache"]["ok"] is True


@pytest.mark.django_db
def test_untrusted_server_certificate_is_refused(
    tls_redis: tuple[str, str], client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    url, _ca = tls_redis
    with override_settings(CACHES=_cache_settings(redis_url_with_ca(f"{url}/0")), REDIS_URL=url):
        response = client.get("/readyz")
        with pytest.raises(Exception, match="certificate verify failed"):
            caches["default"].set("tls-probe", "must-not-arrive", 30)
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["checks"]["cache"] == {"ok": False, "error": "unavailable"}
    assert any("certificate verify failed" in getattr(r, "error", "") for r in caplog.records)


def test_broker_connection_verifies_and_round_trips_a_message(tls_redis: tuple[str, str]) -> None:
    url, ca = tls_redis
    with Connection(f"{url}/1", ssl=broker_ssl_options(url, ca_file=ca), connect_timeout=3) as conn:
        queue = conn.SimpleQueue("tls-rehearsal")
        queue.put({"n": 1})
        message = queue.get(timeout=3)
        assert message.payload == {"n": 1}
        message.ack()
        queue.close()
    with (
        Connection(f"{url}/1", ssl=broker_ssl_options(url), connect_timeout=2) as conn,
        pytest.raises(Exception, match="certificate verify failed"),
    ):
        conn.ensure_connection(max_retries=1, timeout=2)


def test_event_stream_publishes_over_tls(tls_redis: tuple[str, str]) -> None:
    import redis

    from booking_platform.events.stream import RedisStreamPublisher

    url, ca = tls_redis
    publisher = RedisStreamPublisher(redis_url_with_ca(f"{url}/2", ca_file=ca), stream="tls-events", maxlen=100)
    publisher.client.xadd("tls-events", {"event_id": "e-1"})
    entries = redis.Redis.from_url(redis_url_with_ca(f"{url}/2", ca_file=ca)).xrange("tls-events")
    assert [fields[b"event_id"] for _id, fields in entries] == [b"e-1"]


def test_settings_wire_tls_into_cache_celery_and_readyz(tls_redis: tuple[str, str]) -> None:
    """The real settings module, from the environment: Celery's own connection and /readyz both verify."""
    url, ca = tls_redis
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "CELERY_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DATABASE_URL": "sqlite://:memory:",
        "REDIS_URL": f"{url}/3",
        "CELERY_BROKER_URL": f"{url}/4",
        "REDIS_TLS_CA_FILE": ca,
    }
    code = (
        "import django; django.setup()\n"
        "from config.celery import app\n"
        "from booking_platform.observability.health import check_broker, check_cache\n"
        "with app.connection_for_write() as conn:\n"
        "    conn.ensure_connection(max_retries=1, timeout=3)\n"
        "    print('celery', conn.ssl['ssl_cert_reqs'].name)\n"
        "check_cache(); check_broker(); print('readyz-checks ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    printed = [line for line in done.stdout.splitlines() if not line.startswith("{")]  # JSON log lines aside
    assert printed == ["celery CERT_REQUIRED", "readyz-checks ok"]
    assert settings.CELERY_BROKER_USE_SSL is None  # this test process: memory broker, no TLS options
