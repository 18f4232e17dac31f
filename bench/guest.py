"""L2 guest site: the booking submission end to end, as a browser sends it.

Each simulated guest opens the booking page once (session and CSRF cookies, the form's token),
then books again and again: POST /book/ (details; places the hold, 302 to the booking page) and
POST /bookings/<ref>/confirm/ (302 to the confirmation). Closed loop like wrk, with the same number
of concurrent guests as wrk has connections. wrk cannot carry a session and a CSRF token from one
response to the next, hence an asyncio client; its CPU shows as the harness's.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from collections import Counter
from datetime import date, timedelta
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import aiohttp
from hdrh.histogram import HdrHistogram

from bench.dataset import STAY_NIGHTS
from bench.infra import PROXY_HEADERS

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BOOKING_PAGE = re.compile(r"/bookings/([A-Za-z0-9-]{10,16})/$")


class Guest:
    """One browser: its cookies (Secure cookies are sent by hand, TLS ends at the proxy) and CSRF token."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str) -> None:
        self.session, self.base_url = session, base_url
        origin = "https://" + base_url.split("://", 1)[1]
        self.headers = {**PROXY_HEADERS, "Origin": origin, "Referer": origin + "/book/"}
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def _keep(self, response: aiohttp.ClientResponse) -> None:
        for header in response.headers.getall("Set-Cookie", []):
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value

    async def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        headers = {**self.headers, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        async with self.session.request(
            method, self.base_url + path, data=data, headers=headers, allow_redirects=False
        ) as response:
            body = await response.text()
            self._keep(response)
            return response.status, response.headers.get("Location", ""), body

    async def open(self, offer: dict) -> None:
        status, _, body = await self.request("GET", "/book/?" + urlencode(offer))
        found = CSRF_INPUT.search(body)
        if status != 200 or not found:
            raise RuntimeError(f"guest site booking page answered {status}")
        self.csrf = found.group(1)

    async def book(self, offer: dict, n: int) -> int:
        """One booking: details (hold), then confirm. Returns the final status (302 on success)."""
        details = {
            **offer, "first_name": "Bench", "last_name": "Guest", "email": f"guest{n % 200}@bench.example",
            "phone": "", "country": "DE", "special_requests": "", "form_token": secrets.token_urlsafe(18),
            "csrfmiddlewaretoken": self.csrf,
        }  # fmt: skip
        status, location, _ = await self.request("POST", "/book/", details)
        held = BOOKING_PAGE.search(location)
        if status != 302 or not held:
            return status
        status, location, _ = await self.request(
            "POST", f"/bookings/{held.group(1)}/confirm/", {"csrfmiddlewaretoken": self.csrf}
        )
        return status if status != 302 or "/confirmed/" in location else 409


def offer_for(*, property_id: int, rate_plan_id: int, room_type_id: int, check_in: date) -> dict:
    return {
        "property": property_id, "room_type": room_type_id, "rate_plan": rate_plan_id, "rooms": 1,
        "check_in": check_in.isoformat(), "check_out": (check_in + timedelta(days=STAY_NIGHTS)).isoformat(),
        "adults": 2, "children": 0,
    }  # fmt: skip


async def guest_load(*, base_url: str, offers: list[dict], guests: int, seconds: float) -> dict:
    """``guests`` browsers booking back to back for ``seconds``; latency per whole booking."""
    histogram = HdrHistogram(1, 120_000_000, 3)
    statuses: Counter[int] = Counter()
    connector = aiohttp.TCPConnector(limit=guests)
    async with aiohttp.ClientSession(
        connector=connector, cookie_jar=aiohttp.DummyCookieJar(), timeout=aiohttp.ClientTimeout(total=60)
    ) as session:
        browsers = [Guest(session, base_url) for _ in range(guests)]
        await asyncio.gather(*(b.open(offers[i % len(offers)]) for i, b in enumerate(browsers)))
        started = time.monotonic()
        deadline = started + seconds

        async def loop(index: int, browser: Guest) -> None:
            n = index
            while time.monotonic() < deadline:
                began = time.monotonic()
                try:
                    status = await browser.book(offers[n % len(offers)], n)
                except aiohttp.ClientError:
                    status = 599
                statuses[status] += 1
                if status == 302:
                    histogram.record_value(max(int((time.monotonic() - began) * 1e6), 1))
                n += guests

        await asyncio.gather(*(loop(i, b) for i, b in enumerate(browsers)))
        elapsed = time.monotonic() - started
    ok = statuses.get(302, 0)
    return {
        "requests": sum(statuses.values()),
        "ok": ok,
        "refused": sum(c for s, c in statuses.items() if 400 <= s < 500),
        "server_errors": sum(c for s, c in statuses.items() if s >= 500),
        "status_counts": {str(s): c for s, c in sorted(statuses.items())},
        "connections": guests,
        "seconds": round(elapsed, 2),
        "ok_per_s": round(ok / elapsed, 1),
        "p50_us": histogram.get_value_at_percentile(50),
        "p90_us": histogram.get_value_at_percentile(90),
        "p99_us": histogram.get_value_at_percentile(99),
        "p999_us": histogram.get_value_at_percentile(99.9),
    }
