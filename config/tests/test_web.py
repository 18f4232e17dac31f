import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_admin_login_page_renders(client: Client) -> None:
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b"<title>Log in | Booking Platform staff</title>" in response.content  # the staff site's branding


@pytest.mark.django_db
def test_admin_requires_login(client: Client) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_and_shuts_down_gracefully(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "DJANGO_SECRET_KEY": "gunicorn-smoke-test-key",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn), "--config", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    body = (response.status, response.read(), response.headers["X-Request-ID"])
            except OSError:
                time.sleep(0.2)
        assert body is not None, "gunicorn did not answer /healthz"
        assert body[0] == 200
        assert body[1] == b'{"status": "ok"}'
        assert len(body[2]) == 32
    finally:
        proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=40)[0].decode()
    assert proc.returncode == 0, output
    assert "Shutting down: Master" in output
