"""Real processes for tests: gunicorn as the Procfile runs it, a local HTTP sink, a throwaway PostgreSQL."""

from __future__ import annotations

import contextlib
import gzip
import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, *, headers: dict[str, str] | None = None, data: bytes | None = None, timeout: float = 10):
    """(status, headers, body) for any status; a refused connection raises OSError."""
    request = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


@dataclass
class Gunicorn:
    port: int
    process: subprocess.Popen
    output: str = ""
    chunks: list[bytes] = field(default_factory=list)

    def drain(self) -> threading.Thread:
        """Read the output as it comes: a full pipe would block every logging thread in the server."""

        def read() -> None:
            for line in iter(self.process.stdout.readline, b""):
                self.chunks.append(line)

        thread = threading.Thread(target=read, daemon=True)
        thread.start()
        return thread

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def base_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    (tmp_path / "static").mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "gunicorn-test-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "WEB_CONCURRENCY": "1",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    for service in ("REDIS_URL", "CELERY_BROKER_URL"):  # the embedded default, whichever pass runs this
        env.pop(service, None)
    env.update(extra)
    return env


def migrate(env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()[-3000:]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, wait: bool = True) -> Iterator[Gunicorn]:
    """gunicorn with config/gunicorn.conf.py on a free loopback port; SIGTERM and collect its output after."""
    port = free_port()
    env = {**env, "PORT": str(port)}
    command = [str(BIN / "gunicorn"), "--config", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    server = Gunicorn(port=port, process=process)
    reader = server.drain()
    try:
        if wait:
            _wait_until_up(server)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        process.wait(timeout=40)
        reader.join(timeout=10)
        server.output = b"".join(server.chunks).decode()


def _wait_until_up(server: Gunicorn) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError("gunicorn exited at start: " + b"".join(server.chunks).decode())
        with contextlib.suppress(OSError):
            if fetch(f"{server.url}/healthz", timeout=2)[0] == 200:
                return
        time.sleep(0.2)
    raise AssertionError("gunicorn did not answer /healthz within 30 s")


@dataclass
class Sink:
    """A local HTTP endpoint that keeps every request body (gunzipped): a Sentry DSN pointing here."""

    port: int
    bodies: list[bytes] = field(default_factory=list)

    def text(self) -> str:
        return b"\n".join(self.bodies).decode("utf-8", "replace")

    def envelopes(self) -> list[dict]:
        """Every JSON item of every envelope received (events, not headers)."""
        items: list[dict] = []
        for body in self.bodies:
            for line in body.splitlines():
                with contextlib.suppress(ValueError):
                    item = json.loads(line)
                    if isinstance(item, dict) and ("exception" in item or "message" in item or "logentry" in item):
                        items.append(item)
        return items


@contextlib.contextmanager
def http_sink() -> Iterator[Sink]:
    sink = Sink(port=0)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            sink.bodies.append(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    sink.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()


def _pg_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return candidates[-1].parent if candidates else None


@dataclass
class Postgres:
    port: int
    datadir: Path
    run_as: list[str]
    bin: Path

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def ctl(self, *args: str) -> None:
        command = [*self.run_as, str(self.bin / "pg_ctl"), "-D", str(self.datadir), "-w", *args]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def stop(self) -> None:
        self.ctl("-m", "immediate", "stop")


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[Postgres | None]:
    """``initdb`` + ``pg_ctl`` on a free port in a temporary directory (as the postgres user when root)."""
    pg_bin = _pg_bin()
    if pg_bin is None:
        yield None
        return
    run_as: list[str] = []
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            yield None
            return
        run_as = [runuser, "-u", "postgres", "--"]
    root = Path(tempfile.mkdtemp(prefix="bp-pg-"))
    datadir = root / "data"
    if run_as:
        shutil.chown(root, "postgres")
    port = free_port()
    subprocess.run(
        [*run_as, str(pg_bin / "initdb"), "-D", str(datadir), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    server = Postgres(port=port, datadir=datadir, run_as=run_as, bin=pg_bin)
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    server.ctl("-o", options, "-l", str(root / "log"), "start")
    try:
        yield server
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            server.stop()
        shutil.rmtree(root, ignore_errors=True)
