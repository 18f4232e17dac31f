"""Rehearse a rolling release on this machine: old and new code side by side on one PostgreSQL.

The previous migration state (the commit before the newest migration, or REHEARSAL_OLD_REF) is
exported with ``git archive`` and served by gunicorn; a bounded load of health checks, guest
pages, partner searches and partner bookings runs against a small round-robin "load balancer"
while the release happens as on Kubernetes: the new code's migrations run under the old pods,
new pods join the pool, the old pod leaves the pool and gets SIGTERM (graceful shutdown). Any
failed request (connection error, 5xx, an unexpected status) makes the script exit non-zero.
Booking refusals the API documents for a race on the last room (409 not_available) are counted
apart and are not failures.

Run from the repository root: ``.venv/bin/python deploy/ci/rehearsal.py`` (needs PostgreSQL on
127.0.0.1:5432 with trust auth, as CI and the dev machines have).
"""

# ruff: noqa: S603, S607 - a CI script: it prints its report and runs fixed commands (git, psql, gunicorn)

from __future__ import annotations

import json
import os
import random
import secrets
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
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

# deploy/ci is scripts, not a package: find the sibling module also when this file is loaded by path.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from release_history import export_tree, git, log, previous_migration_states

REPO = Path(__file__).resolve().parents[2]
PY = str(REPO / ".venv" / "bin" / "python")
PHASE_SECONDS = float(os.environ.get("REHEARSAL_PHASE_SECONDS", "8"))
CLIENTS = int(os.environ.get("REHEARSAL_CLIENTS", "4"))
PG = os.environ.get("REHEARSAL_PG", "postgres://postgres@127.0.0.1:5432")


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG}/postgres", "-qAtc", sql], check=True, capture_output=True, text=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Version:
    name: str
    tree: Path
    env: dict[str, str]
    logs: Path
    port: int = 0
    proc: subprocess.Popen | None = None
    partner_api: bool = False
    guest_site: bool = False

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [PY, "manage.py", *args], cwd=self.tree, env=self.env, capture_output=True, text=True, timeout=300
        )
        if check and done.returncode != 0:
            raise SystemExit(
                f"{self.name}: manage.py {' '.join(args)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
            )
        return done

    def has_command(self, name: str) -> bool:
        return name in self.manage("help", "--commands").stdout.split()

    def serve(self) -> None:
        self.port = free_port()
        env = {**self.env, "PORT": str(self.port)}
        out = (self.logs / f"{self.name}-gunicorn.log").open("w")
        self.proc = subprocess.Popen(
            [PY, "-m", "gunicorn", "--config", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{self.port}"],
            cwd=self.tree, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = Path(out.name).read_text()[-4000:]
                raise SystemExit(f"{self.name}: gunicorn exited with {self.proc.returncode}:\n{tail}")
            if http("GET", self.port, "/readyz")[0] == 200:
                log(f"{self.name} serving on 127.0.0.1:{self.port}")
                return
            time.sleep(0.3)
        raise SystemExit(f"{self.name}: not ready within 60 s")

    def stop(self) -> int:
        """SIGTERM, as the kubelet sends it; gunicorn must finish in-flight requests and exit 0."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return -9


def http(method: str, port: int, path: str, *, body: dict | None = None, headers: dict | None = None):
    """(status, parsed JSON or None); status 0 means the connection itself failed."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - loopback only
            return response.status, _json(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, _json(exc.read())
    except OSError:
        return 0, None


def _json(raw: bytes):
    try:
        return json.loads(raw)
    except ValueError:
        return None


class Pool:
    """The Service's endpoints: round-robin over the versions that are in it right now."""

    def __init__(self) -> None:
        self.members: list[Version] = []
        self.lock = threading.Lock()
        self.turn = 0

    def add(self, version: Version) -> None:
        with self.lock:
            self.members.append(version)

    def remove(self, version: Version) -> None:
        with self.lock:
            self.members.remove(version)

    def pick(self, needs: str = "") -> Version | None:
        with self.lock:
            fit = [m for m in self.members if not needs or getattr(m, needs)]
            self.turn += 1
            return fit[self.turn % len(fit)] if fit else None


@dataclass
class Load:
    pool: Pool
    key: dict[str, str]
    stop: threading.Event = field(default_factory=threading.Event)
    counts: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, version: Version, kind: str, status: int, expected: tuple[int, ...], detail: object = "") -> bool:
        ok = status in expected
        with self.lock:
            self.counts[(version.name, kind, "ok" if ok else "FAILED")] += 1
            if not ok and len(self.failures) < 30:
                self.failures.append(f"{version.name} {kind}: HTTP {status} {str(detail)[:300]}")
        return ok

    def run(self, seed: int) -> None:
        rng = random.Random(seed)
        while not self.stop.wait(rng.uniform(0.02, 0.08)):  # paced: a steady load, not a flood of 2 cores
            action = rng.choice(("health", "page", "search", "book", "book"))
            needs = {"search": "partner_api", "book": "partner_api", "page": "guest_site"}.get(action, "")
            version = self.pool.pick(needs) or self.pool.pick()
            if version is None:
                time.sleep(0.05)
                continue
            if needs == "partner_api" and version.partner_api:
                self.search_and_book(version, rng, book=action == "book")
            elif needs == "guest_site" and version.guest_site:
                self.record(version, "guest page", http("GET", version.port, "/")[0], (200,))
            else:
                self.record(version, "healthz", http("GET", version.port, "/healthz")[0], (200,))
                self.record(version, "readyz", http("GET", version.port, "/readyz")[0], (200,))

    def search_and_book(self, version: Version, rng: random.Random, *, book: bool) -> None:
        check_in = date.today() + timedelta(days=rng.randint(20, 330))
        check_out = check_in + timedelta(days=rng.randint(1, 3))
        query = f"?property={self.key['property']}&check_in={check_in}&check_out={check_out}&adults=2"
        status, found = http("GET", version.port, f"/api/v1/availability/{query}", headers=self.auth())
        if not self.record(version, "search", status, (200,), found) or not book:
            return
        offers = [o for o in (found or {}).get("offers", []) if o.get("bookable")]
        if not offers:
            return
        offer = rng.choice(offers)
        target = self.pool.pick("partner_api") or version  # the booking may land on the other version
        status, made = http("POST", target.port, "/api/v1/bookings/", body=self.stay(offer, check_in, check_out, rng),
                            headers={**self.auth(), "Idempotency-Key": secrets.token_hex(16)})  # fmt: skip
        if status == 409 and (made or {}).get("code") == "not_available":
            with self.lock:
                self.counts[(target.name, "booking", "refused: sold out meanwhile")] += 1
            return
        self.record(target, "booking", status, (201,), made)

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Api-Key {self.key['key']}"}

    @staticmethod
    def stay(offer: dict, check_in: date, check_out: date, rng: random.Random) -> dict:
        n = rng.randint(1, 10**9)
        return {
            "property": offer.get("property") or os.environ.get("REHEARSAL_PROPERTY", "demo-berlin"),
            "check_in": str(check_in),
            "check_out": str(check_out),
            "rooms": [{"room_type_id": offer["room_type"]["id"], "rate_plan_id": offer["rate_plan_id"], "adults": 2}],
            "guest": {"email": f"rehearsal-{n}@example.com", "first_name": "Rolling", "last_name": f"Guest{n}"},
            "partner_reference": f"R-{n}",
        }


def make_partner(version: Version) -> dict[str, str]:
    """A partner with every scope on the demo hotel; its key is printed once by create_partner."""
    args = ["create_partner", "Rehearsal", "rehearsal", "--properties", "demo-berlin", "--rate-limit", "100000"]
    done = version.manage(*args, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{version.name}: create_partner failed: {done.stderr[-2000:]}")
    key = done.stdout.strip().splitlines()[-1]
    return {"key": key, "property": "demo-berlin"}


def probe(version: Version, key: dict[str, str]) -> None:
    """What this version serves: the guest site's home page, and the partner API for bookings."""
    version.guest_site = http("GET", version.port, "/")[0] == 200
    if key:
        status, _ = http("GET", version.port, "/api/v1/properties/", headers={"Authorization": f"Api-Key {key['key']}"})
        version.partner_api = status == 200
    log(
        f"{version.name}: guest site {'yes' if version.guest_site else 'no'}, partner API bookings "
        f"{'yes' if version.partner_api else 'no'}"
    )


def base_env(database: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TZ", "PYTHONPATH")}
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"{PG}/{database}",
        "DB_POOL_MAX_SIZE": "8",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "DJANGO_DEBUG": "false",
        "DJANGO_HTTPS": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_STATIC_MANIFEST": "false",
        "ALLOW_CONSOLE_BACKENDS": "true",
        "EMAIL_URL": "consolemail://",
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "4",
        "API_PARTNER_RATE_PER_MINUTE": "100000",
    }


def start_load(load: Load) -> list[threading.Thread]:
    threads = [threading.Thread(target=load.run, args=(seed,), daemon=True) for seed in range(CLIENTS)]
    for thread in threads:
        thread.start()
    return threads


def release(old: Version, new: Version, pool: Pool, load: Load) -> int:
    """What the pipeline does, under load: migrate, add new pods, drain and stop the old one."""
    time.sleep(PHASE_SECONDS)
    log("release Job: new code's migrations, old version still serving")
    applied = [line for line in new.manage("migrate", "--noinput").stdout.splitlines() if "Applying" in line]
    log(f"applied {len(applied)} migration(s): {', '.join(line.split()[1] for line in applied) or 'none'}")
    if not load.key and new.has_command("create_partner"):
        load.key.update(make_partner(new))
        probe(old, load.key)
    new.serve()
    probe(new, load.key)
    pool.add(new)
    log("old and new side by side")
    time.sleep(PHASE_SECONDS)
    pool.remove(old)
    time.sleep(2)  # the endpoint is gone before SIGTERM, as the preStop pause arranges on Kubernetes
    code = old.stop()
    log(f"old version stopped with SIGTERM: exit {code}")
    time.sleep(PHASE_SECONDS)
    return code


def report(load: Load, old_exit: int) -> int:
    for (name, kind, outcome), n in sorted(load.counts.items()):
        log(f"  {name:3} {kind:12} {outcome:28} {n}")
    total = sum(n for (_v, _k, outcome), n in load.counts.items() if outcome in ("ok", "FAILED"))
    failed = sum(n for (_v, _k, outcome), n in load.counts.items() if outcome == "FAILED")
    booked = {v for (v, k, outcome), n in load.counts.items() if k == "booking" and outcome == "ok" and n}
    for line in load.failures:
        log(f"FAILED {line}")
    log(f"{total} requests, {failed} failed; bookings made on: {', '.join(sorted(booked)) or 'none'}")
    problems = failed > 0 or total == 0 or old_exit != 0
    if load.key and "new" not in booked:
        problems = True
        log("no booking succeeded on the new version")
    return 1 if problems else 0


def pick_old(work: Path, env: dict[str, str]) -> Version:
    """The first candidate whose code imports and whose gunicorn starts (on the still empty database)."""
    for ref in previous_migration_states():
        tree = work / f"old-{ref[:12]}"
        export_tree(ref, tree)
        version = Version("old", tree, env, work)
        if version.manage("check", check=False).returncode == 0:
            try:
                version.serve()
            except SystemExit as exc:
                log(f"skipping {ref[:12]}: its web process does not start ({str(exc).splitlines()[-1]})")
                version.stop()
                continue
            log(f"old = {ref[:12]} (the previous release's stand-in)")
            return version
        log(f"skipping {ref[:12]}: its code does not import")
        shutil.rmtree(tree, ignore_errors=True)
    raise SystemExit("no commit with the previous migration state imports and serves")


def main() -> int:
    log(f"new = {git('rev-parse', 'HEAD')[:12]} + work tree")
    work = Path(tempfile.mkdtemp(prefix="bp-rehearsal-"))
    database = f"bp_deploy_rehearsal_{os.getpid()}"
    psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    psql(f"CREATE DATABASE {database}")
    env = base_env(database)
    old: Version | None = None
    new = Version("new", REPO, env, work)
    try:
        old = pick_old(work, env)
        old.manage("migrate", "--noinput")
        if old.has_command("seed_demo"):
            old.manage("seed_demo")
        key = make_partner(old) if old.has_command("create_partner") else {}
        probe(old, key)
        pool = Pool()
        load = Load(pool=pool, key=key)
        pool.add(old)
        threads = start_load(load)
        old_exit = release(old, new, pool, load)
        load.stop.set()
        for thread in threads:
            thread.join(timeout=20)
        return report(load, old_exit)
    finally:
        for version in (old, new):
            if version is not None:
                version.stop()
        psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
