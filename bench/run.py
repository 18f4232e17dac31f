"""`make bench` end to end: database, dataset, L0 capture, server, rounds, races, report."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=6.0, help="per closed-loop measurement")
    parser.add_argument("--fixed-seconds", type=float, default=10.0, help="per fixed-rate search measurement")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections for every HTTP level")
    parser.add_argument("--trials", type=int, default=100, help="last-unit race trials per correct variant")
    parser.add_argument("--naive-trials", type=int, default=20, help="trials of the naive negative control")
    parser.add_argument("--idempotency-trials", type=int, default=20)
    parser.add_argument("--race-budget", type=float, default=150.0, help="seconds per race variant at most")
    parser.add_argument("--minutes", type=float, default=18.0, help="the races shrink their budgets to end by then")
    parser.add_argument("--workers", type=int, default=2, help="WEB_CONCURRENCY")
    parser.add_argument("--threads", type=int, default=4, help="GUNICORN_THREADS")
    parser.add_argument("--db", default="bp_bench", help="database created and dropped by the run (bp_bench*)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 1 round, 2 s, 3 trials")
    parser.add_argument("--reuse-db", action="store_true", help="development: keep and reuse a seeded database")
    parser.add_argument("--head", action="store_true", help="measure the committed HEAD (an export), not the work tree")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.seconds, args.fixed_seconds = 1, 2.0, 3.0
        args.trials, args.naive_trials, args.idempotency_trials = 3, 3, 2
    return args


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def _django(db_name: str, threads: int) -> None:
    """Configure this process like a production pod on the bench database, then set Django up."""
    from bench.infra import production_env

    env = production_env(db_name=db_name, redis_url=REDIS_URL, workers=1, threads=threads, port=0)
    os.environ.update({k: v for k, v in env.items() if k not in ("PORT", "BENCH_VIEWS")})
    import django

    django.setup()


def _prepare(args: argparse.Namespace, workdir: Path) -> dict:
    from django.core.management import call_command

    from bench.capture import scripts_write
    from bench.dataset import Dataset, dataset_seed
    from bench.inprocess import booking_query_counts, profile_write, search_query_counts

    started = time.monotonic()
    saved = Path(tempfile.gettempdir()) / f"{args.db}-dataset.json"
    if args.reuse_db and saved.exists():
        dataset = Dataset(**json.loads(saved.read_text()))
    else:
        call_command("migrate", verbosity=0)
        dataset = dataset_seed()
        saved.write_text(json.dumps(dataset.as_dict()))
    from django.db import connection

    with connection.cursor() as cursor:  # planner statistics, as autovacuum keeps them in production
        cursor.execute("ANALYZE")
    seeded = time.monotonic() - started
    from apps.availability.models import Property
    from bench.variants import partner_api

    small = Property.objects.get(slug="bench-small-0").pk
    l0 = scripts_write(dataset=dataset, directory=workdir / "l0", count=100)
    api = partner_api(dataset)
    return {
        "dataset": dataset,
        "api": api,
        "seed_seconds": round(seeded, 1),
        "l0": l0,
        "search_queries": search_query_counts(dataset=dataset, small_property_id=small),
        "booking_queries": booking_query_counts(dataset=dataset),
        "profile": profile_write(
            dataset=dataset, api=api, repeats=10 if not args.quick else 3, path=workdir / "profile.txt"
        ),
    }


def _rounds(ctx, args: argparse.Namespace, log) -> dict[str, list[dict]]:
    from bench.levels import measurements, round_order, search_max

    levels = measurements(ctx)
    measured, ctx.seconds = ctx.seconds, 2.0
    for name in ("L1 raw SQL booking", "L2 booking service", "L2 partner API", "L2 guest site"):
        if name in levels:
            levels[name]("warm")  # every worker's first requests (imports, pools, caches) stay out of round 1
    ctx.seconds = measured
    warm = search_max(ctx, "warm")
    ctx.search_rate = max(warm["ok_per_s"] / 2, 1.0)
    log(f"warmed up; search max {warm['ok_per_s']}/s -> fixed rate {ctx.search_rate:.1f}/s")
    results: dict[str, list[dict]] = {name: [] for name in levels}
    for index in range(args.rounds):
        for name in round_order(list(levels), index):
            figures = levels[name](f"r{index}")
            figures["round"] = index + 1
            results[name].append(figures)
            log(f"round {index + 1} {name}: {figures.get('ok_per_s', figures.get('percentiles_ms', {}).get('99.0'))}")
    return results


def _races(ctx, args: argparse.Namespace, log, deadline: float) -> dict:
    """The race variants in turn; each gets --race-budget seconds at most, less if the run's deadline nears."""
    import psycopg

    from bench.race import deadlocks_read, oversold_read, race_window, races_run
    from bench.variants import race_variants

    today = date.fromisoformat(ctx.dataset.today)
    first = today + timedelta(days=2)
    out = {}
    with psycopg.connect(ctx.db_url, autocommit=True) as conn:
        variants = race_variants(ctx, args)
        for index, (variant, trials) in enumerate(variants):
            deadlocks = deadlocks_read(conn, ctx.db_name)
            # keep a minute for the idempotency trials and the report
            budget = min(args.race_budget, max((deadline - time.monotonic() - 60) / (len(variants) - index), 10))
            figures = asyncio.run(
                races_run(base_url=ctx.server.url, variant=variant, trials=trials, first=first, budget=budget)
            )
            time.sleep(1.5)  # statistics reach pg_stat_database within a second
            last = first + timedelta(days=race_window(figures["trials"], len(variant.room_type_ids)))
            figures.update(oversold_read(conn=conn, room_type_ids=variant.room_type_ids, first=first, last=last))
            figures["deadlocks"] = deadlocks_read(conn, ctx.db_name) - deadlocks
            out[variant.name] = figures
            log(f"races {variant.name}: {figures}")
        out["idempotency"] = _idempotency(ctx, args, conn)
        log(f"idempotency: {out['idempotency']}")
    return out


def _idempotency(ctx, args: argparse.Namespace, conn) -> dict:
    """20 concurrent retries of one Idempotency-Key per trial: exactly one booking per key."""
    from bench.dataset import booking_slots
    from bench.race import bookings_per_key, deadlocks_read, idempotency_run
    from bench.variants import API_PATH, api_body, api_headers

    prefix = f"idem-{int(time.time())}-"
    slots = booking_slots(ctx.dataset)

    def request_for(trial: int) -> tuple[dict, dict]:
        room_type_id, check_in = slots[trial % len(slots)]
        key = f"{prefix}{trial}"
        body = api_body(
            slug=ctx.api["slug"], room_type_id=room_type_id, rate_plan_id=ctx.dataset.big_rate_plan_id,
            check_in=check_in, nights=2, guest=trial % 200, key=key,
        )  # fmt: skip
        return body, api_headers(ctx.api["token"], key)

    deadlocks = deadlocks_read(conn, ctx.db_name)
    figures = asyncio.run(
        idempotency_run(base_url=ctx.server.url, path=API_PATH, trials=args.idempotency_trials, request_for=request_for)
    )
    time.sleep(1.5)
    figures["bookings_per_key"] = bookings_per_key(conn, prefix=prefix, trials=args.idempotency_trials)
    figures["deadlocks"] = deadlocks_read(conn, ctx.db_name) - deadlocks
    return figures


def _run_head(argv: list[str], out: Path) -> int:
    """Export HEAD (git archive) and run the bench there: the figures then belong to exactly that commit."""
    source = Path(tempfile.mkdtemp(prefix="bench-head-"))
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    (source / ".venv").symlink_to(ROOT / ".venv")
    rest = [a for a in argv if a != "--head"] + ["--out", str(out.resolve())]
    env = {**os.environ, "BENCH_COMMIT": _git("rev-parse", "--short", "HEAD"), "BENCH_DIRTY": "0"}
    try:
        return subprocess.run([sys.executable, "-m", "bench", *rest], cwd=source, env=env, check=False).returncode
    finally:
        shutil.rmtree(source, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.head:
        return _run_head(argv, args.out)
    began = time.monotonic()

    def log(message: str) -> None:
        print(f"[bench {time.monotonic() - began:6.1f}s] {message}", flush=True)

    from bench import infra

    if not (args.reuse_db and (Path(tempfile.gettempdir()) / f"{args.db}-dataset.json").exists()):
        infra.database_recreate(name=args.db)
    try:
        _django(args.db, args.threads)
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            paths = _measure(args, Path(tmp), log, began)
    finally:
        if not args.reuse_db:
            infra.database_drop(name=args.db)
        infra.redis_flush(REDIS_URL)
    log(f"report: {', '.join(str(p) for p in paths)}")
    return 0


def _measure(args: argparse.Namespace, workdir: Path, log, began: float) -> list[Path]:
    """Prepare, serve with gunicorn, run the rounds and the races, write the report."""
    from bench import infra
    from bench.levels import Context
    from bench.report import report_write

    log("migrating, seeding, capturing L0 SQL, counting queries, profiling")
    prepared = _prepare(args, workdir)
    log(f"prepared: {prepared['l0']}, search queries {prepared['search_queries']}")
    env = infra.production_env(
        db_name=args.db, redis_url=REDIS_URL, workers=args.workers, threads=args.threads, port=infra.free_port()
    )
    infra.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env)
    server = infra.Server(env=env, log_path=Path(tempfile.gettempdir()) / f"{args.db}-gunicorn.log")
    server.log_path.write_text("")
    server.start()
    log(f"gunicorn on {server.url}: {args.workers} workers x {args.threads} threads")
    load_before = os.getloadavg()
    try:
        ctx = Context(
            server=server, db_url=infra.database_url(args.db), db_name=args.db, admin_url=infra.PG_ADMIN_URL,
            dataset=prepared["dataset"], l0_scripts=sorted((workdir / "l0").glob("l0_*.sql")),
            seconds=args.seconds, connections=args.connections, fixed_seconds=args.fixed_seconds,
            api=prepared["api"],
        )  # fmt: skip
        rounds = _rounds(ctx, args, log)
        races = _races(ctx, args, log, deadline=began + args.minutes * 60)
    finally:
        server.stop()
    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": os.environ.get("BENCH_COMMIT") or _git("rev-parse", "--short", "HEAD"),
        "dirty_files": int(os.environ.get("BENCH_DIRTY") or len(_git("status", "--porcelain").splitlines())),
        "cpus": os.cpu_count(),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "settings": {k: v for k, v in vars(args).items() if k != "out"} | {"out": str(args.out)},
        "search_rate": round(ctx.search_rate, 1),
        "minutes": round((time.monotonic() - began) / 60, 1),
        "server_log": str(server.log_path),
        "server_log_errors": infra.log_errors(server.log_path),
    }
    return report_write(
        out_dir=args.out, meta=meta, prepared=prepared, rounds=rounds, races=races,
        profile_text=(workdir / "profile.txt").read_text(),
    )  # fmt: skip
