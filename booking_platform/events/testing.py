"""Throwaway processes for fault tests: a private redis-server and real `celery worker`s.

Never touches the machine's Redis on 6379: each test gets its own server on a free
port, and workers it starts in their own process group so a SIGKILL hits only them.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from booking_platform.notifications.testing import free_port

# Loaded by the workers instead of config.settings: restore abandoned messages within a second.
OVERLAY = """from config.settings import *  # noqa: F403
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
"""


def wait_for(predicate: Callable[[], bool], *, timeout: float, interval: float = 0.2, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise TimeoutError(f"gave up after {timeout}s waiting for {what}")


class RedisServer:
    """``redis-server`` on a free port with no persistence; stop() and start() keep the port."""

    def __init__(self) -> None:
        self.binary = shutil.which("redis-server") or ""
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        import redis

        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv, our own binary lookup
            [*command, "--daemonize", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)

        def up() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        wait_for(up, timeout=10, what="redis-server to answer")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None


@contextmanager
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def child_database_url() -> str:
    """The database pytest-django created (test_<name>), as a URL a child process can use."""
    d = connection.settings_dict
    auth = quote(d.get("USER") or "") + (f":{quote(d['PASSWORD'])}" if d.get("PASSWORD") else "")
    return f"postgres://{auth}@{d.get('HOST') or '127.0.0.1'}:{d.get('PORT') or 5432}/{d['NAME']}"


class Worker:
    """A real ``celery worker`` (prefork, one child) in its own process group."""

    def __init__(self, env: dict[str, str], directory: Path) -> None:
        self.env, self.directory = env, directory
        self.name = f"fault-{uuid.uuid4().hex[:8]}"
        self.log = directory / f"{self.name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Worker:
        celery = str(Path(sys.executable).with_name("celery"))
        command = [celery, "--app", "config", "worker", "--queues", "default,notifications,maintenance"]
        command += ["--concurrency", "1", "--pool", "prefork", "--loglevel", "INFO", "--hostname", f"{self.name}@%h"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603
                command,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=settings.BASE_DIR,
            )
        wait_for(self._ready, timeout=60, what=f"worker {self.name} to be ready")
        return self

    def _ready(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"worker exited early:\n{self.output()[-3000:]}")
        return " ready." in self.output()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once: no clean shutdown, no acks."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.kill()


@contextmanager
def workers(base_env: dict[str, str]) -> Iterator[Callable[[], Worker]]:
    """Yields a starter; every worker started is stopped (or killed) on the way out."""
    started: list[Worker] = []
    with tempfile.TemporaryDirectory(prefix="bp-fault-") as tmp:
        directory = Path(tmp)
        (directory / "fault_settings.py").write_text(OVERLAY)
        env = {**os.environ, **base_env, "DJANGO_SETTINGS_MODULE": "fault_settings"}
        env["PYTHONPATH"] = os.pathsep.join([tmp, str(settings.BASE_DIR), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)

        def start() -> Worker:
            worker = Worker(env, directory)
            started.append(worker)
            return worker.start()

        try:
            yield start
        finally:
            for worker in started:
                worker.stop()
