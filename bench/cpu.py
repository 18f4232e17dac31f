"""CPU time per process group during one measurement: the load generator shares the two cores.

A background thread samples /proc every half second for the web server's processes and the
PostgreSQL backends of the bench database; backends born during the run (pgbench's) count from
zero to their last sample. The load generator's CPU comes from its rusage when it exits, the
harness's (the asyncio clients) from its own.
"""

from __future__ import annotations

import os
import resource
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import psycopg

from bench.infra import proc_cpu_seconds


@dataclass
class CpuMeter:
    server_pids: Callable[[], list[int]]
    pg_url: str
    db_name: str
    interval: float = 0.5
    _seen: dict[str, dict[int, tuple[float, float]]] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _self_start: float = 0.0

    def __enter__(self) -> CpuMeter:
        self._conn = psycopg.connect(self.pg_url, autocommit=True)
        self._self_start = _self_cpu()
        self._sample()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
        self._sample()
        self._self_cpu = _self_cpu() - self._self_start
        self._conn.close()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def _groups(self) -> dict[str, list[int]]:
        rows = self._conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [self.db_name]
        ).fetchall()
        return {"web": self.server_pids(), "postgres": [row[0] for row in rows]}

    def _sample(self) -> None:
        starting = not self._seen
        for group, pids in self._groups().items():
            seen = self._seen.setdefault(group, {})
            for pid in pids:
                now = proc_cpu_seconds(pid)
                # A process born during the measurement counts from zero: all its CPU falls inside.
                first = seen.get(pid, (now if starting else 0.0, now))[0]
                if now:
                    seen[pid] = (first, now)

    def result(self) -> dict[str, float]:
        totals = {
            group: round(sum(last - first for first, last in seen.values()), 2) for group, seen in self._seen.items()
        }
        totals["harness"] = round(self._self_cpu, 2)
        return totals


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cpu_count() -> int:
    return os.cpu_count() or 1
