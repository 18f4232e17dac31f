"""Measurements taken inside Django rather than over HTTP: query counts and a profile.

Counts are deterministic, so they are the figures to trust on a shared machine; the profile
(pyinstrument) says where a booking's and a search's time goes.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext
from pyinstrument import Profiler

from apps.availability import interface as availability
from apps.bookings import interface as bookings
from bench.dataset import STAY_NIGHTS, Dataset, booking_slots

PLUMBING = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def _count(statements: list[str]) -> dict:
    queries = [sql for sql in statements if not sql.startswith(PLUMBING)]
    return {"statements": len(statements), "queries": len(queries)}


def search_query_counts(*, dataset: Dataset, small_property_id: int) -> dict:
    """Queries per search for 1, 7 and 30 nights over 50 room types, and 30 nights at a small hotel."""
    today = date.fromisoformat(dataset.today)
    cases = {
        "50 room types x 30 nights": (dataset.big_property_id, 30),
        "50 room types x 7 nights": (dataset.big_property_id, 7),
        "50 room types x 1 night": (dataset.big_property_id, 1),
        "4 room types x 30 nights": (small_property_id, 30),
    }
    counts = {}
    for label, (property_id, nights) in cases.items():
        check_in = today + timedelta(days=20)
        with CaptureQueriesContext(connection) as ctx:
            availability.search(check_in=check_in, check_out=check_in + timedelta(days=nights), property_id=property_id)
        counts[label] = len(ctx.captured_queries)
    return {"per_case": counts, "constant": len(set(counts.values())) == 1}


def _book(dataset: Dataset, n: int) -> None:
    room_type_id, check_in = booking_slots(dataset)[n % len(booking_slots(dataset))]
    customer_id = dataset.customer_ids[n % len(dataset.customer_ids)]
    bookings.book(
        request=bookings.StayRequest(
            property_id=dataset.big_property_id, customer_id=customer_id, check_in=check_in,
            check_out=check_in + timedelta(days=STAY_NIGHTS), channel="web",
            rooms=[bookings.RoomRequest(room_type_id, dataset.big_rate_plan_id, 2)],
        ),
        actor=bookings.Actor.guest(customer_id),
    )  # fmt: skip


def _search(dataset: Dataset, n: int) -> None:
    check_in = date.fromisoformat(dataset.today) + timedelta(days=1 + n % 300)
    availability.search(check_in=check_in, check_out=check_in + timedelta(days=30), property_id=dataset.big_property_id)


def profile_write(*, dataset: Dataset, repeats: int, path: Path) -> dict:
    """Profile ``repeats`` direct bookings and 30-night searches; the text tree goes to ``path``."""
    timings = {}
    sections = []
    for label, work in (("book", _book), ("search 50 room types x 30 nights", _search)):
        profiler = Profiler(interval=0.0005)
        started = time.perf_counter()
        with profiler:
            for n in range(repeats):
                work(dataset, 1000 + n)
        timings[label] = round((time.perf_counter() - started) * 1000 / repeats, 1)
        text = profiler.output_text(unicode=False, color=False, show_all=False)
        sections.append(f"===== {label}: {repeats} calls, {timings[label]} ms each (one thread, in-process)\n{text}")
    path.write_text("\n".join(sections))
    return {"ms_per_call": timings, "profile": path.name}
