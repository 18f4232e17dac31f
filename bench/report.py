"""The run's report: <date>-<commit>.md/.json/.png (+ -profile.txt) in bench/results/."""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, is_dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

CORRECT_RACES = ("booking service", "raw SQL booking", "partner API")
NAIVE = "naive read-then-write (negative control)"


def _primary(name: str, figures: dict) -> float:
    if name.startswith("search fixed"):
        return figures["percentiles_ms"]["99.0"]
    return figures["ok_per_s"]


def summarise(rounds: dict[str, list[dict]]) -> dict[str, dict]:
    """Median, min, max and spread ((max - min) / median) of each level's primary figure."""
    out = {}
    for name, runs in rounds.items():
        values = [_primary(name, figures) for figures in runs]
        if not values:
            continue
        median = statistics.median(values)
        out[name] = {
            "unit": "p99 ms" if name.startswith("search fixed") else "ok/s",
            "median": round(median, 2),
            "min": round(min(values), 2),
            "max": round(max(values), 2),
            "spread_pct": round(100 * (max(values) - min(values)) / median, 1) if median else None,
            "values": values,
        }
    return out


def ratios(summary: dict[str, dict]) -> dict[str, float]:
    def med(name: str) -> float | None:
        return summary.get(name, {}).get("median")

    pairs = {}
    for l2 in ("L2 partner API", "L2 guest site", "L2 booking service"):
        for base in ("L1 raw SQL booking", "L0 pgbench c8", "L3 Django view", "L3 DRF view"):
            if med(l2) and med(base):
                pairs[f"{l2} / {base}"] = round(med(l2) / med(base), 3)
    if med("L2 guest site") and med("L2 partner API"):
        pairs["L2 guest site / L2 partner API"] = round(med("L2 guest site") / med("L2 partner API"), 3)
    if med("L1 raw SQL booking") and med("L0 pgbench c8"):
        pairs["L1 raw SQL booking / L0 pgbench c8"] = round(med("L1 raw SQL booking") / med("L0 pgbench c8"), 3)
    return pairs


def targets(summary: dict, ratio: dict, races: dict, prepared: dict) -> list[dict]:
    correct = [figures for name, figures in races.items() if name in CORRECT_RACES]
    search_p99 = summary.get("search fixed idle", {}).get("median")
    book = prepared["l0"]["statements_per_booking"]
    api_ratio = ratio.get("L2 partner API / L1 raw SQL booking")
    guest_ratio = ratio.get("L2 guest site / L2 partner API")
    rows = [
        ("0 oversold nights in every trial (real paths)", sum(f["oversold_nights"] for f in correct), correct and
         sum(f["oversold_nights"] for f in correct) == 0),
        ("negative control shows oversells", races.get(NAIVE, {}).get("oversold_nights"),
         races.get(NAIVE, {}).get("oversold_nights", 0) > 0),
        ("0 5xx in the races (real paths)", sum(f["server_errors"] for f in correct), correct and
         sum(f["server_errors"] for f in correct) == 0),
        ("search p99 <= 30 ms at half load (idle)", search_p99, search_p99 is not None and search_p99 <= 30),
        ("search query count constant", prepared["search_queries"]["per_case"],
         prepared["search_queries"]["constant"]),
        ("direct booking <= 15 SQL statements (service, captured)", book, max(book) <= 15),
        ("L2 partner API >= 0.5 x L1", api_ratio, api_ratio is not None and api_ratio >= 0.5),
        ("L2 guest site >= 0.8 x L2 partner API", guest_ratio, guest_ratio is not None and guest_ratio >= 0.8),
        ("bookings per idempotency key exactly 1", races.get("idempotency", {}).get("bookings_per_key"),
         races.get("idempotency", {}).get("bookings_per_key") == [1]),
    ]  # fmt: skip
    return [{"target": t, "value": v, "met": bool(m)} for t, v, m in rows]


def _plain(value):
    return asdict(value) if is_dataclass(value) else str(value)


def _plot(path: Path, summary: dict, rounds: dict) -> None:
    fig, (bars, lat) = plt.subplots(1, 2, figsize=(14, 5.5))
    names = [n for n in summary if not n.startswith("search fixed")]
    medians = [summary[n]["median"] for n in names]
    errors = [[m - summary[n]["min"] for n, m in zip(names, medians, strict=True)],
              [summary[n]["max"] - m for n, m in zip(names, medians, strict=True)]]  # fmt: skip
    bars.barh(names, medians, xerr=errors, color="#4a7ab0")
    bars.set_xscale("log")
    bars.set_xlabel("successful requests (bookings) per second, median and min-max of rounds (log)")
    bars.invert_yaxis()
    for name in ("search fixed idle", "search fixed loaded"):
        for figures in rounds.get(name, [])[:1]:
            points = sorted((float(p), ms) for p, ms in figures["percentiles_ms"].items())
            xs = [1 / (1 - min(p, 99.999) / 100) for p, _ in points]
            lat.plot(xs, [ms for _, ms in points], marker="o", label=f"{name} ({figures['rate']}/s, HdrHistogram)")
    for name in ("L1 raw SQL booking", "L2 booking service", "L2 partner API", "L2 guest site", "L3 Django view"):
        for figures in rounds.get(name, [])[:1]:
            pts = [
                (50, figures["p50_us"]),
                (90, figures["p90_us"]),
                (99, figures["p99_us"]),
                (99.9, figures["p999_us"]),
            ]
            lat.plot([1 / (1 - p / 100) for p, _ in pts], [us / 1000 for _, us in pts], linestyle="--", marker="x",
                     label=f"{name} (closed loop)")  # fmt: skip
    lat.set_xscale("log")
    lat.set_yscale("log")
    lat.set_xticks([2, 10, 100, 1000, 10000], ["p50", "p90", "p99", "p99.9", "p99.99"])
    lat.set_ylabel("latency ms (log)")
    lat.legend(fontsize=7)
    lat.set_title("latency distributions (round 1)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def report_write(
    *, out_dir: Path, meta: dict, prepared: dict, rounds: dict, races: dict, profile_text: str
) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    prepared = {k: v for k, v in prepared.items() if k != "api"}  # the partner key stays out of the results
    stem = f"{meta['date'][:10]}-{meta['commit']}"
    summary = summarise(rounds)
    ratio = ratios(summary)
    data = {
        "meta": meta, "prepared": prepared, "summary": summary, "ratios": ratio, "races": races,
        "targets": targets(summary, ratio, races, prepared), "rounds": rounds,
    }  # fmt: skip
    paths = [out_dir / f"{stem}.json", out_dir / f"{stem}.md", out_dir / f"{stem}.png", out_dir / f"{stem}-profile.txt"]
    paths[0].write_text(json.dumps(data, indent=1, default=_plain) + "\n")
    from bench.markdown import markdown

    paths[1].write_text(markdown(data, png=paths[2].name, profile=paths[3].name))
    _plot(paths[2], summary, rounds)
    paths[3].write_text(profile_text)
    return paths
