"""L0: the very SQL one booking issues, captured from the ORM and replayed by pgbench.

Each of the 100 booking slots is booked once through ``apps.bookings.interface.book`` under
``CaptureQueriesContext``; the statements from BEGIN to COMMIT become one pgbench script. Only
what must differ per replay is turned into pgbench variables: the booking reference (unique
column, also the allocation key), the outbox event ids (unique) and the new booking's id (read
back with ``\\gset`` from the INSERT ... RETURNING, so no two replays fight over one booking row).
Everything else, the locks, CHECKs, JSON payloads and savepoints, is replayed as captured.

One consequence: the captured confirm marks the CAPTURED booking's allocation rows sold (by id), so
each replay leaves its own allocations "held" while its counters say sold. ``replays_settle`` marks
them sold after each pgbench run (outside the measurement), or they would lapse 15 minutes later
and be reclaimed a second time by the next booking of that night.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.bookings import interface as bookings
from bench.dataset import STAY_NIGHTS, Dataset, booking_slots

ID_BASE = 900_000_000  # captured booking ids start here, so they can be found and replaced safely
UUID_LITERAL = re.compile(r"'[0-9a-f]{32}'::uuid")
REPLAY_PREFIX = "L0-"  # replayed references: "L0-" + up to 12 digits; real ones look like K7M-4QX-9TRA


@dataclass(frozen=True)
class Captured:
    statements: list[str]  # BEGIN ... COMMIT of one booking, as sent
    reference: str
    booking_id: int


def booking_capture(*, dataset: Dataset, slot: int) -> Captured:
    """Book one slot through the real service and keep the SQL of its transaction."""
    room_type_id, check_in = booking_slots(dataset)[slot]
    booking_id_seq = ID_BASE + slot * 1000
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('bookings_booking', 'id'), "
            "GREATEST(%s, (SELECT COALESCE(MAX(id), 0) + 1000 FROM bookings_booking)))",
            [booking_id_seq],
        )
    customer_id = dataset.customer_ids[slot % len(dataset.customer_ids)]
    request = bookings.StayRequest(
        property_id=dataset.big_property_id, customer_id=customer_id, check_in=check_in,
        check_out=check_in + timedelta(days=STAY_NIGHTS),
        rooms=[bookings.RoomRequest(room_type_id, dataset.big_rate_plan_id, 2)], channel="web",
    )  # fmt: skip
    with CaptureQueriesContext(connection) as ctx:
        info = bookings.book(request=request, actor=bookings.Actor.guest(customer_id))
    sql = [query["sql"] for query in ctx.captured_queries]
    start = sql.index("BEGIN") if "BEGIN" in sql else 0
    end = sql.index("COMMIT", start) + 1
    statements = sql[start:end] if "BEGIN" in sql else ["BEGIN", *sql[:end]]
    return Captured(statements=statements, reference=info.reference, booking_id=info.id)


def pgbench_script(captured: Captured) -> str:
    """The captured transaction with per-replay values as pgbench variables (see the module doc)."""
    lines = ["\\set r random(1, 999999999999)"]
    booking_id = re.compile(rf"\b{captured.booking_id}\b")
    seen_insert = False
    for statement in captured.statements:
        text = statement.replace(captured.reference, f"{REPLAY_PREFIX}:r")
        text = UUID_LITERAL.sub("gen_random_uuid()", text)
        if seen_insert:
            text = booking_id.sub(":bk_id", text)
        if text.startswith('INSERT INTO "bookings_booking"') and not seen_insert:
            seen_insert = True
            text += " \\gset bk_"
        lines.append(" ".join(text.split("\n")) + ("" if text.endswith("\\gset bk_") else ";"))
    return "\n".join(lines) + "\n"


def scripts_write(*, dataset: Dataset, directory: Path, count: int) -> dict:
    """Capture ``count`` slots, write l0_<n>.sql files; returns what was captured (for the report)."""
    directory.mkdir(parents=True, exist_ok=True)
    statement_counts = []
    for slot in range(count):
        captured = booking_capture(dataset=dataset, slot=slot)
        statement_counts.append(len(captured.statements))
        (directory / f"l0_{slot:03d}.sql").write_text(pgbench_script(captured))
    return {
        "scripts": count,
        "statements_per_booking": sorted(set(statement_counts)),
        "example": str(directory / "l0_000.sql"),
    }


def replays_settle(cursor) -> int:
    """Mark the replays' allocations sold, matching the counters the replayed confirm already moved."""
    cursor.execute(
        "UPDATE availability_allocation SET state = 'sold', expires_at = NULL "
        "WHERE alloc_key LIKE %s AND state = 'held'",
        [REPLAY_PREFIX + "%"],
    )
    return cursor.rowcount
