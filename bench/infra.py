"""What the bench stands on: its own database, gunicorn with production settings, CPU accounting.

The machine's PostgreSQL and Redis are used as they run; the bench only creates and drops its
own database and flushes its own Redis index.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# Production terminates TLS at the load balancer, which tells Django so (SECURE_PROXY_SSL_HEADER).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def database_recreate(*, name: str) -> None:
    """Drop and create the bench's own database (never anyone else's: the name must start with bp_bench)."""
    if not name.startswith("bp_bench"):
        raise SystemExit(f"refusing to recreate {name!r}: bench databases are named bp_bench*")
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_drop(*, name: str) -> None:
    if name.startswith("bp_bench"):
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(*, db_name: str, redis_url: str, workers: int, threads: int, port: int) -> dict[str, str]:
    """The environment a production web pod gets, plus BENCH_VIEWS for the bench endpoints."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "DB_POOL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url(db_name),
        DB_POOL_MIN_SIZE=str(threads),
        DB_POOL_MAX_SIZE=str(threads + 2),
        REDIS_URL=redis_url,
        CELERY_BROKER_URL=redis_url,
        WEB_CONCURRENCY=str(workers),
        GUNICORN_THREADS=str(threads),
        PORT=str(port),
        LOG_LEVEL="WARNING",
        BENCH_VIEWS="true",
        # No Celery worker runs during the bench: nothing is sent, so console mail/SMS lose nothing.
        ALLOW_CONSOLE_BACKENDS="true",
    )
    return env


def proc_cpu_seconds(pid: int) -> float:
    """user + system CPU seconds of one process so far (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


@dataclass
class Server:
    """gunicorn with config/gunicorn.conf.py, as the Procfile's web role runs it."""

    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen | None = None
    port: int = field(default=0)

    def start(self) -> None:
        self.port = int(self.env["PORT"])
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            # max_requests 0: a worker recycled mid-measurement spends seconds re-importing the app, which
            # measures the restart, not the level (production keeps the config's recycling).
            [sys.executable.replace("python", "gunicorn"), "--config", "config/gunicorn.conf.py",
             "--bind", f"127.0.0.1:{self.port}", "--max-requests", "0"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited at start:\n{self.log_path.read_text()[-3000:]}")
            try:
                probe = urllib.request.Request(f"{self.url}/bench/plain", headers=PROXY_HEADERS)  # noqa: S310
                with urllib.request.urlopen(probe, timeout=2) as response:  # noqa: S310
                    if response.status == 200 and len(children_of(self.process.pid)) >= int(
                        self.env["WEB_CONCURRENCY"]
                    ):
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within 60 s; see {self.log_path}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def pids(self) -> list[int]:
        return [self.process.pid, *children_of(self.process.pid)] if self.process else []

    def cpu_seconds(self) -> float:
        return sum(proc_cpu_seconds(pid) for pid in self.pids())

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def postgres_backend_pids(conn: psycopg.Connection, db_name: str) -> list[int]:
    rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [db_name]).fetchall()
    return [row[0] for row in rows]


def run(cmd: list[str], *, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"{cmd[0]} failed with exit code {done.returncode}")
    return done.stdout


def redis_flush(url: str) -> None:
    """Empty the bench's own Redis index (tasks the run enqueued with no worker to take them)."""
    import redis

    redis.Redis.from_url(url).flushdb()


def log_errors(path: Path, *, limit: int = 20) -> list[str]:
    """The server's ERROR lines (a 5xx logs one), so the report can say what went wrong."""
    if not path.exists():
        return []
    lines = [
        line[:400] for line in path.read_text(errors="replace").splitlines() if '"ERROR"' in line or "Error" in line
    ]
    return lines[:limit]
