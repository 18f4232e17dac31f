"""Measurements taken inside Django rather than over HTTP: query counts and a profile.

Counts are deterministic, so they are the figures to trust on a shared machine; the profile
(pyinstrument) says where a booking's and a search's time goes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pyinstrument import Profiler

from apps.availability import interface as availability
from apps.bookings import interface as bookings
from bench.dataset import SLOTS, STAY_NIGHTS, Dataset, booking_slots

PLUMBING = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def _count(statements: list[str]) -> dict:
    queries = [sql for sql in statements if not sql.startswith(PLUMBING)]
    return {"statements": len(statements), "queries": len(queries)}


def search_query_counts(*, dataset: Dataset, small_property_id: int) -> dict:
    """Queries per search for 1, 7 and 30 nights over 50 room types, and 30 nights at a small hotel:
    the first search of a process (it reads the hotel's catalogue) and the next (it uses its copy)."""
    from apps.availability.selectors.catalogue_cache import forget_catalogues

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
        forget_catalogues()
        for when in ("first", "next"):
            with CaptureQueriesContext(connection) as ctx:
                availability.search(
                    check_in=check_in, check_out=check_in + timedelta(days=nights), property_id=property_id
                )
            counts[f"{label}, {when}"] = len(ctx.captured_queries)
    constant = all(
        len({count for label, count in counts.items() if label.endswith(when)}) == 1 for when in ("first", "next")
    )
    return {"per_case": counts, "constant": constant}


def booking_query_counts(*, dataset: Dataset) -> dict:
    """Queries of hold_booking, confirm_booking and book (one room, two nights), as the issue counts them."""
    counts = {}
    room_type_id, check_in = booking_slots(dataset)[0]
    customer_id = dataset.customer_ids[0]
    request = bookings.StayRequest(
        property_id=dataset.big_property_id, customer_id=customer_id, check_in=check_in,
        check_out=check_in + timedelta(days=STAY_NIGHTS), channel="web",
        rooms=[bookings.RoomRequest(room_type_id, dataset.big_rate_plan_id, 2)],
    )  # fmt: skip
    actor = bookings.Actor.guest(customer_id)
    with CaptureQueriesContext(connection) as ctx:
        held = bookings.hold_booking(request=request, actor=actor)
    counts["hold_booking"] = _count([q["sql"] for q in ctx.captured_queries])
    with CaptureQueriesContext(connection) as ctx:
        bookings.confirm_booking(booking_id=held.id, actor=actor)
    counts["confirm_booking"] = _count([q["sql"] for q in ctx.captured_queries])
    with CaptureQueriesContext(connection) as ctx:
        bookings.book(request=request, actor=actor)
    counts["book"] = _count([q["sql"] for q in ctx.captured_queries])
    return counts


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


def _api_booker(api: dict) -> Callable[[Dataset, int], None]:
    """A direct booking through the whole API request path (middleware, auth, DRF, idempotency)."""
    from bench.variants import api_body, api_headers

    client = Client(HTTP_HOST="127.0.0.1")

    def work(dataset: Dataset, n: int) -> None:
        room_type_id, check_in = booking_slots(dataset)[n % SLOTS]
        key = f"profile-{time.time_ns()}-{n}"
        body = api_body(
            slug=api["slug"], room_type_id=room_type_id, rate_plan_id=dataset.big_rate_plan_id,
            check_in=check_in, nights=STAY_NIGHTS, guest=n % 200, key=key,
        )  # fmt: skip
        response = client.post(
            api["path"], body, content_type="application/json", secure=True, headers=api_headers(api["token"], key)
        )
        if response.status_code != 201:
            raise RuntimeError(f"API booking answered {response.status_code}: {response.content[:300]!r}")

    return work


def profile_write(*, dataset: Dataset, api: dict, repeats: int, path: Path) -> dict:
    """Profile ``repeats`` direct bookings (service and API) and 30-night searches; text trees go to ``path``."""
    timings = {}
    sections = []
    works = (
        ("book (bookings.interface.book)", _book),
        ("partner API direct booking (whole request)", _api_booker(api)),
        ("search 50 room types x 30 nights", _search),
    )
    for label, work in works:
        profiler = Profiler(interval=0.0005)
        started = time.perf_counter()
        with profiler:
            for n in range(repeats):
                work(dataset, 1000 + n)
        timings[label] = round((time.perf_counter() - started) * 1000 / repeats, 1)
        text = profiler.output_text(unicode=False, color=False, show_all=False)
        sections.append(f"===== {label}: {repeats} calls, {timings[label]} ms each (one thread, wall clock)\n{text}")
    path.write_text("\n".join(sections))
    return {"ms_per_call": timings, "profile": path.name}
