"""Search latency at a fixed request rate (open loop), recorded in an HdrHistogram.

wrk is closed-loop: when the server slows, it simply sends less and the slow moments vanish
from its percentiles (coordinated omission). Here each request has a scheduled send time and
its latency is measured from that time, so queueing behind a slow response counts.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta

import aiohttp
from hdrh.histogram import HdrHistogram

from bench.infra import PROXY_HEADERS

PERCENTILES = (50.0, 75.0, 90.0, 95.0, 99.0, 99.5, 99.9, 99.99, 100.0)


async def fixed_rate_run(*, url_for: Callable[[int], str], rate: float, seconds: float, connections: int = 64) -> dict:
    """Send ``rate`` requests a second for ``seconds``; latency from each request's scheduled time."""
    histogram = HdrHistogram(1, 120_000_000, 3)  # microseconds, up to two minutes
    statuses: Counter[int] = Counter()
    total = max(int(rate * seconds), 1)
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(
        connector=connector, headers=PROXY_HEADERS, timeout=aiohttp.ClientTimeout(total=60)
    ) as session:
        loop = asyncio.get_running_loop()
        start = loop.time() + 0.2

        async def one(n: int) -> None:
            scheduled = start + n / rate
            await asyncio.sleep(max(scheduled - loop.time(), 0))
            try:
                async with session.get(url_for(n)) as response:
                    await response.read()
                    statuses[response.status] += 1
            except aiohttp.ClientError:
                statuses[599] += 1
            histogram.record_value(max(int((loop.time() - scheduled) * 1e6), 1))

        began = time.monotonic()
        await asyncio.gather(*(one(n) for n in range(total)))
        elapsed = time.monotonic() - began
    return {
        "rate": round(rate, 1),
        "requests": total,
        "achieved_per_s": round(total / elapsed, 1),
        "status_counts": {str(code): count for code, count in sorted(statuses.items())},
        "percentiles_ms": {str(p): round(histogram.get_value_at_percentile(p) / 1000, 2) for p in PERCENTILES},
    }


def search_urls(base_url: str, *, property_id: int, nights: int, today: date, seed: int) -> Callable[[int], str]:
    """Random check-ins a year ahead, the same sequence for every run with the same seed."""
    rng = random.Random(seed)
    offsets = [rng.randint(1, 300) for _ in range(100_000)]

    def url(n: int) -> str:
        check_in = today + timedelta(days=offsets[n % len(offsets)])
        return f"{base_url}/bench/search?property_id={property_id}&nights={nights}&check_in={check_in.isoformat()}"

    return url
