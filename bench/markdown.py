"""The human-readable report, rendered from the JSON the run writes."""

from __future__ import annotations

import statistics


def _cpu(runs: list[dict]) -> str:
    groups = ("web", "postgres", "load", "harness")
    medians = []
    for group in groups:
        values = [r["cpu_s"].get(group, 0) for r in runs if "cpu_s" in r]
        medians.append(f"{statistics.median(values):.1f}" if values else "-")
    return " / ".join(medians)


def _latency(runs: list[dict]) -> str:
    first = runs[0]
    if "p50_us" in first:
        p50 = statistics.median(r["p50_us"] for r in runs) / 1000
        p99 = statistics.median(r["p99_us"] for r in runs) / 1000
        return f"{p50:.1f} / {p99:.1f}"
    if "mean_latency_ms" in first:
        return f"{statistics.median(r['mean_latency_ms'] for r in runs):.1f} (mean)"
    return "-"


def _throughput(data: dict) -> list[str]:
    lines = [
        "| level | median ok/s | min-max | spread | p50 / p99 ms | refused | 5xx | CPU s web / pg / load / harness "
        "| CPU ms per ok, web + pg |",
        "|---|---:|---|---:|---|---:|---:|---|---:|",
    ]
    for name, s in data["summary"].items():
        if name.startswith("search fixed"):
            continue
        runs = data["rounds"][name]
        refused = sum(r.get("refused", 0) for r in runs)
        errors = sum(r.get("server_errors", 0) + r.get("failed", 0) for r in runs)
        lines.append(
            f"| {name} | {s['median']:.0f} | {s['min']:.0f}-{s['max']:.0f} | {s['spread_pct']}% | {_latency(runs)} "
            f"| {refused} | {errors} | {_cpu(runs)} | {_cpu_per_ok(runs)} |"
        )
    return lines


def _cpu_per_ok(runs: list[dict]) -> str:
    """Server-side CPU (gunicorn + the database's backends) per successful request: what a level costs."""
    costs = []
    for r in runs:
        ok = r.get("ok", r.get("transactions", 0))
        if ok and "cpu_s" in r:
            costs.append((r["cpu_s"].get("web", 0) + r["cpu_s"].get("postgres", 0)) / ok * 1000)
    return f"{statistics.median(costs):.1f}" if costs else "-"


def _search(data: dict) -> list[str]:
    lines = ["| load | rate/s | p50 ms | p99 ms | p99.9 ms | max ms | non-200 | bookings/s alongside |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for name in ("search fixed idle", "search fixed loaded"):
        runs = data["rounds"].get(name, [])
        if not runs:
            continue

        def med(p: str, runs: list[dict] = runs) -> float:
            return statistics.median(r["percentiles_ms"][p] for r in runs)

        bad = sum(c for r in runs for code, c in r["status_counts"].items() if code != "200")
        alongside = [r["background_bookings_per_s"] for r in runs if r.get("background_bookings_per_s")]
        lines.append(
            f"| {name.removeprefix('search fixed ')} | {runs[0]['rate']} | {med('50.0')} | {med('99.0')} | "
            f"{med('99.9')} | {med('100.0')} | {bad} | {statistics.median(alongside) if alongside else '-'} |"
        )
    return lines


def _races(data: dict) -> list[str]:
    lines = ["| variant | trials x clients | oversold nights | counter drift | 5xx | deadlocks | answers |",
             "|---|---|---:|---:|---:|---:|---|"]  # fmt: skip
    for name, r in data["races"].items():
        answers = ", ".join(f"{code}: {count}" for code, count in r.get("status_counts", {}).items())
        lines.append(
            f"| {name} | {r.get('trials')} x {r.get('clients')} | {r.get('oversold_nights')} | "
            f"{r.get('counter_drift_nights')} | {r.get('server_errors')} | {r.get('deadlocks')} | {answers} |"
        )
    return lines


def markdown(data: dict, *, png: str, profile: str) -> str:
    meta, prepared = data["meta"], data["prepared"]
    s = meta["settings"]
    out = [
        f"# Benchmark {meta['date']} at {meta['commit']}",
        "",
        f"{meta['cpus']} CPUs shared by the server, PostgreSQL, the load generators and the harness; load average "
        f"{meta['loadavg_before']} before, {meta['loadavg_after']} after ({meta['dirty_files']} uncommitted files in "
        f"the tree). gunicorn {s['workers']} workers x {s['threads']} threads, debug off, pooled connections; "
        f"{s['rounds']} rounds in alternating order, {s['seconds']} s per measurement, wrk {s['connections']} "
        f"connections. Run took {meta['minutes']} min.",
        "",
        "## Throughput",
        "",
        *_throughput(data),
        "",
        f"Server errors logged during the run: {len(meta.get('server_log_errors', []))} (lines in the JSON).",
        "",
        "## Ratios (medians)",
        "",
        "L0 at 8 clients matches the server's 2 x 4 threads; every booking level books the same 100 slots.",
        "",
        *[f"- {name}: **{value}**" for name, value in data["ratios"].items()],
        "",
        f"## Search: 50 room types x 30 nights at a fixed rate (half of {meta['search_rate'] * 2:.0f}/s)",
        "",
        *_search(data),
        "",
        f"Queries per search: {prepared['search_queries']['per_case']} "
        f"(constant: {prepared['search_queries']['constant']}).",
        "",
        "## Races for the last unit",
        "",
        *_races(data),
        "",
        "## Query counts and profile",
        "",
        f"- direct booking through `apps.bookings.interface.book`: {prepared['l0']['statements_per_booking']} "
        "statements from BEGIN to COMMIT (what L0 replays)",
        f"- queries (statements incl. transaction plumbing) in-process: {prepared.get('booking_queries')}",
        f"- in-process, one thread: {prepared['profile']['ms_per_call']} ms per call; profile in `{profile}`",
        "",
        "## Targets",
        "",
        "| target | value | met |",
        "|---|---|---|",
        *[f"| {t['target']} | {t['value']} | {'yes' if t['met'] else 'NO'} |" for t in data["targets"]],
        "",
        f"![latency and throughput]({png})",
        "",
    ]
    return "\n".join(out)
