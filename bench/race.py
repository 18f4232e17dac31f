"""Races for the last unit: 64 clients released together, then the truth read from the database.

Every trial gets its own room type window where each night has ONE unit; clients ask for
overlapping stays of 1-3 nights inside it. Afterwards the allocations (what was actually taken)
are summed per night against sellable, so an oversell shows even when the counters look fine,
which is exactly what the naive variant (read, wait, write) produces.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import aiohttp
import psycopg

from bench.infra import PROXY_HEADERS

WINDOW = 5  # nights a trial's stays fall in; windows are 6 apart so trials never share a night


@dataclass(frozen=True)
class Variant:
    """One way of booking: a path, how to build its body and headers, and its room types."""

    name: str
    path: str
    room_type_ids: list[int]
    body: Callable[[int, int, int, date, int], dict]  # (trial, client, room_type_id, check_in, nights) -> JSON
    headers: Callable[[int, int], dict[str, str]] = field(default=lambda trial, client: {})


def trial_stays(trial: int, room_type_ids: list[int], first_night: date) -> list[tuple[int, date, int]]:
    """64 overlapping stays (room type, check-in, nights) inside this trial's window."""
    room_type = room_type_ids[trial % len(room_type_ids)]
    base = first_night + timedelta(days=(WINDOW + 1) * (trial // len(room_type_ids)))
    return [(room_type, base + timedelta(days=client % 3), 1 + client % 3) for client in range(64)]


async def _warm(session: aiohttp.ClientSession, base_url: str, count: int) -> None:
    """Warm the workers with ``count`` requests first. The server closes each connection after its response
    (GUNICORN_KEEPALIVE=0, the production default), so the release opens its connections at once; the
    listen backlog queues them and the requests still meet at the inventory rows (the report's answers
    column: 200 bookings and 6,200 refusals per 100 trials)."""

    async def one() -> None:
        async with session.get(f"{base_url}/bench/plain") as response:
            await response.read()

    await asyncio.gather(*(one() for _ in range(count)))


async def _trial(session: aiohttp.ClientSession, base_url: str, variant: Variant, trial: int, first: date) -> list[int]:
    gate = asyncio.Event()
    stays = trial_stays(trial, variant.room_type_ids, first)

    async def client(n: int) -> int:
        room_type, check_in, nights = stays[n]
        await gate.wait()
        try:
            async with session.post(
                base_url + variant.path,
                json=variant.body(trial, n, room_type, check_in, nights),
                headers=variant.headers(trial, n),
            ) as response:
                await response.read()
                return response.status
        except aiohttp.ClientError:
            return 599  # the connection broke: counted with the 5xx

    tasks = [asyncio.create_task(client(n)) for n in range(len(stays))]
    await asyncio.sleep(0.05)  # every client is parked at the gate
    gate.set()
    return await asyncio.gather(*tasks)


async def races_run(*, base_url: str, variant: Variant, trials: int, first: date, budget: float) -> dict:
    """Run the trials one after another until done or ``budget`` seconds are spent (the report says which)."""
    statuses: Counter[int] = Counter()
    started = time.monotonic()
    connector = aiohttp.TCPConnector(limit=64, force_close=False)
    async with aiohttp.ClientSession(
        connector=connector, headers=PROXY_HEADERS, timeout=aiohttp.ClientTimeout(total=60)
    ) as session:
        done = 0
        while done < trials and time.monotonic() - started < budget:
            await _warm(session, base_url, 64)
            statuses.update(await _trial(session, base_url, variant, done, first))
            done += 1
    return {
        "trials": done,
        "trials_planned": trials,
        "clients": 64,
        "seconds": round(time.monotonic() - started, 1),
        "status_counts": {str(code): count for code, count in sorted(statuses.items())},
        "server_errors": sum(count for code, count in statuses.items() if code >= 500),
    }


def oversold_read(*, conn: psycopg.Connection, room_type_ids: list[int], first: date, last: date) -> dict:
    """Nights where what was taken (live allocations) exceeds sellable, and counter drift."""
    rows = conn.execute(
        """
        SELECT i.id, i.sellable, i.sold, i.held,
               COALESCE(SUM(a.units) FILTER (WHERE a.state = 'sold'
                                           OR (a.state = 'held' AND a.expires_at > now())), 0) AS taken
        FROM availability_inventory i LEFT JOIN availability_allocation a ON a.inventory_id = i.id
        WHERE i.room_type_id = ANY(%s) AND i.night >= %s AND i.night <= %s
        GROUP BY i.id, i.sellable, i.sold, i.held
        """,
        [room_type_ids, first, last],
    ).fetchall()
    return {
        "nights_checked": len(rows),
        "oversold_nights": sum(1 for _, sellable, _, _, taken in rows if taken > sellable),
        "counter_drift_nights": sum(1 for _, _, sold, held, taken in rows if sold + held != taken),
        "units_taken": sum(row[4] for row in rows),
    }


def deadlocks_read(conn: psycopg.Connection, db_name: str) -> int:
    conn.execute("SELECT pg_stat_clear_snapshot()")
    row = conn.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = %s", [db_name]).fetchone()
    return int(row[0]) if row else 0


def race_window(trials: int, room_type_count: int) -> int:
    """Nights spanned by ``trials`` trials over ``room_type_count`` room types."""
    return (WINDOW + 1) * (trials // room_type_count + 1)


async def idempotency_run(*, base_url: str, path: str, trials: int, request_for: Callable[[int], tuple]) -> dict:
    """Per trial, 20 clients send the SAME request with the SAME Idempotency-Key at once."""
    statuses: Counter[int] = Counter()
    connector = aiohttp.TCPConnector(limit=20)
    async with aiohttp.ClientSession(
        connector=connector, headers=PROXY_HEADERS, timeout=aiohttp.ClientTimeout(total=60)
    ) as session:
        for trial in range(trials):
            await _warm(session, base_url, 20)
            body, headers = request_for(trial)
            gate = asyncio.Event()

            async def client(body: dict = body, headers: dict = headers, gate: asyncio.Event = gate) -> int:
                await gate.wait()
                try:
                    async with session.post(base_url + path, json=body, headers=headers) as response:
                        await response.read()
                        return response.status
                except aiohttp.ClientError:
                    return 599

            tasks = [asyncio.create_task(client()) for _ in range(20)]
            await asyncio.sleep(0.05)
            gate.set()
            statuses.update(await asyncio.gather(*tasks))
    return {
        "trials": trials,
        "clients": 20,
        "status_counts": {str(code): count for code, count in sorted(statuses.items())},
        "server_errors": sum(count for code, count in statuses.items() if code >= 500),
    }


def bookings_per_key(conn: psycopg.Connection, *, prefix: str, trials: int) -> list[int]:
    """How many bookings each key made (the partner reference carries the key); 0 for keys that made none."""
    rows = conn.execute(
        "SELECT partner_reference, COUNT(*) FROM bookings_booking WHERE partner_reference LIKE %s GROUP BY 1",
        [prefix + "%"],
    ).fetchall()
    counts = {count for _, count in rows}
    return sorted(counts | ({0} if len(rows) < trials else set()))
