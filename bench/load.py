"""Run one closed-loop load (wrk over HTTP, pgbench on the database) and read back its figures."""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
from pathlib import Path

import psycopg

from bench.capture import replays_settle
from bench.cpu import CpuMeter

LUA = Path(__file__).resolve().parent / "lua" / "bench.lua"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wrk_run(*, url: str, meter: CpuMeter, connections: int, seconds: float, env: dict[str, str]) -> dict:
    """wrk with bench.lua; ``ok_per_s`` counts only 2xx answers (a refusal is not a booking)."""
    before = _children_cpu()
    with meter:
        done = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{max(int(seconds), 1)}s", "--timeout", "10s", "-s", str(LUA), url],
            env={**os.environ, **env}, capture_output=True, text=True, check=False, timeout=seconds + 60,
        )  # fmt: skip
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCHJSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout[-800:]} {done.stderr[-800:]}")
    figures = json.loads(line.removeprefix("BENCHJSON "))
    seconds_run = figures["duration_us"] / 1e6
    cpu = meter.result()
    cpu["load"] = round(_children_cpu() - before, 2)
    return {
        **figures,
        "connections": connections,
        "seconds": round(seconds_run, 2),
        "ok_per_s": round(figures["ok"] / seconds_run, 1),
        "requests_per_s": round(figures["requests"] / seconds_run, 1),
        "cpu_s": cpu,
    }


def pgbench_run(*, db_url: str, scripts: list[Path], clients: int, seconds: float, meter: CpuMeter) -> dict:
    """pgbench replaying the captured booking scripts, one booking per transaction."""
    files = [arg for script in scripts for arg in ("-f", str(script))]
    before = _children_cpu()
    with meter:
        done = subprocess.run(
            ["pgbench", "-n", "-M", "simple", "-c", str(clients), "-j", str(min(clients, 2)),
             "-T", str(max(int(seconds), 1)), *files, db_url],
            capture_output=True, text=True, check=False, timeout=seconds + 120,
        )  # fmt: skip
    out = done.stdout + done.stderr
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out)
    latency = re.search(r"latency average = ([\d.]+) ms", out)
    failed = re.search(r"number of failed transactions: (\d+)", out)
    processed = re.search(r"number of transactions actually processed: (\d+)", out)
    if done.returncode != 0 or not tps:
        raise RuntimeError(f"pgbench failed ({done.returncode}): {out[-1500:]}")
    cpu = meter.result()
    cpu["load"] = round(_children_cpu() - before, 2)
    with psycopg.connect(db_url, autocommit=True) as conn, conn.cursor() as cursor:
        settled = replays_settle(cursor)
    return {
        "clients": clients,
        "allocations_settled": settled,
        "ok_per_s": round(float(tps.group(1)), 1),
        "transactions": int(processed.group(1)) if processed else 0,
        "failed": int(failed.group(1)) if failed else 0,
        "mean_latency_ms": float(latency.group(1)) if latency else None,
        "cpu_s": cpu,
    }
