"""The measurements of one round, each a named callable returning its figures.

Every booking level draws from the same 100 two-night slots (bench.dataset.booking_slots), so
L0, L1 and L2 meet the same lock contention; all HTTP levels run under one gunicorn with the same
workers, threads and wrk connections.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from bench.cpu import CpuMeter
from bench.dataset import STAY_NIGHTS, Dataset, booking_slots
from bench.fixedrate import fixed_rate_run, search_urls
from bench.guest import guest_load, offer_for
from bench.infra import Server
from bench.load import pgbench_run, wrk_run

SEARCH_NIGHTS = 30


@dataclass
class Context:
    """What every measurement needs: the server, the database, the dataset and the knobs."""

    server: Server
    db_url: str
    db_name: str
    admin_url: str
    dataset: Dataset
    l0_scripts: list[Path]
    seconds: float
    connections: int
    fixed_seconds: float
    search_rate: float = 0.0
    api: dict | None = None  # {"path": ..., "token": ...} once the partner API exists

    def meter(self) -> CpuMeter:
        return CpuMeter(server_pids=self.server.pids, pg_url=self.admin_url, db_name=self.db_name)

    def booking_env(self, kind: str, path: str, prefix: str) -> dict[str, str]:
        slots = ",".join(
            f"{rt}:{day.isoformat()}:{(day + timedelta(days=STAY_NIGHTS)).isoformat()}"
            for rt, day in booking_slots(self.dataset)
        )
        return {
            "BENCH_KIND": kind,
            "BENCH_PATH": path,
            "BENCH_SLOTS": slots,
            "BENCH_NIGHTS": str(STAY_NIGHTS),
            "BENCH_PROPERTY": str(self.dataset.big_property_id),
            "BENCH_PLAN": str(self.dataset.big_rate_plan_id),
            "BENCH_CUSTOMERS": ",".join(map(str, self.dataset.customer_ids)),
            "BENCH_PREFIX": prefix,
            "BENCH_TOKEN": (self.api or {}).get("token", ""),
            "BENCH_SLUG": (self.api or {}).get("slug", ""),
        }

    def wrk(self, env: dict[str, str], *, connections: int | None = None, seconds: float | None = None) -> dict:
        return wrk_run(
            url=self.server.url, meter=self.meter(), connections=connections or self.connections,
            seconds=seconds or self.seconds, env=env,
        )  # fmt: skip


def _search_path(ctx: Context) -> str:
    return f"/bench/search?property_id={ctx.dataset.big_property_id}&nights={SEARCH_NIGHTS}"


def search_max(ctx: Context, tag: str) -> dict:
    return ctx.wrk({"BENCH_KIND": "search", "BENCH_PATH": _search_path(ctx)})


def search_fixed(ctx: Context, tag: str, *, loaded: bool) -> dict:
    """Half the measured maximum rate, open loop; ``loaded`` adds direct bookings alongside (4 connections)."""
    urls = search_urls(
        ctx.server.url, property_id=ctx.dataset.big_property_id, nights=SEARCH_NIGHTS,
        today=date.fromisoformat(ctx.dataset.today), seed=7,
    )  # fmt: skip
    background: dict = {}
    thread = None
    if loaded:
        env = ctx.booking_env("service", "/bench/service-book", f"SF{tag}")
        thread = threading.Thread(
            target=lambda: background.update(ctx.wrk(env, connections=4, seconds=ctx.fixed_seconds + 1)), daemon=True
        )
        thread.start()
    with ctx.meter() as meter:
        figures = asyncio.run(fixed_rate_run(url_for=urls, rate=ctx.search_rate, seconds=ctx.fixed_seconds))
    if thread:
        thread.join()
        figures["background_bookings_per_s"] = background.get("ok_per_s")
    figures["cpu_s"] = meter.result()
    return figures


def guest_site(ctx: Context) -> dict:
    """The guest site's booking submission (details + confirm), as many guests as wrk has connections."""
    offers = [
        offer_for(property_id=ctx.dataset.big_property_id, rate_plan_id=ctx.dataset.big_rate_plan_id,
                  room_type_id=rt, check_in=day)
        for rt, day in booking_slots(ctx.dataset)
    ]  # fmt: skip
    with ctx.meter() as meter:
        figures = asyncio.run(
            guest_load(base_url=ctx.server.url, offers=offers, guests=ctx.connections, seconds=ctx.seconds)
        )
    figures["cpu_s"] = meter.result()
    return figures


def measurements(ctx: Context) -> dict[str, Callable[[str], dict]]:
    """Name -> measurement(tag). The tag makes booking keys unique per round."""
    levels: dict[str, Callable[[str], dict]] = {}
    for clients in (2, 8, 16):
        levels[f"L0 pgbench c{clients}"] = lambda tag, c=clients: pgbench_run(
            db_url=ctx.db_url, scripts=ctx.l0_scripts, clients=c, seconds=ctx.seconds, meter=ctx.meter()
        )
    levels["L3 Django view"] = lambda tag: ctx.wrk({"BENCH_KIND": "get", "BENCH_PATH": "/bench/plain"})
    levels["L3 DRF view"] = lambda tag: ctx.wrk({"BENCH_KIND": "get", "BENCH_PATH": "/bench/drf"})
    levels["L1 raw SQL booking"] = lambda tag: ctx.wrk(ctx.booking_env("raw", "/bench/raw-book", f"L1{tag}"))
    levels["L2 booking service"] = lambda tag: ctx.wrk(ctx.booking_env("service", "/bench/service-book", f"L2s{tag}"))
    if ctx.api:
        levels["L2 partner API"] = lambda tag: ctx.wrk(ctx.booking_env("api", ctx.api["path"], f"L2a{tag}"))
    levels["L2 guest site"] = lambda tag: guest_site(ctx)
    levels["search max"] = lambda tag: search_max(ctx, tag)
    levels["search fixed idle"] = lambda tag: search_fixed(ctx, tag, loaded=False)
    levels["search fixed loaded"] = lambda tag: search_fixed(ctx, tag, loaded=True)
    return levels


def round_order(names: list[str], round_index: int) -> list[str]:
    """Rotate and alternate direction each round, so no level always runs first or last."""
    shift = round_index % len(names)
    order = names[shift:] + names[:shift]
    return order[::-1] if round_index % 2 else order
