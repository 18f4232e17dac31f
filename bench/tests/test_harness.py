"""The harness's pure parts: what L0 replays, the round order, the summary and the race stays."""

from __future__ import annotations

from datetime import date

from bench.capture import Captured, pgbench_script
from bench.levels import round_order
from bench.race import trial_stays
from bench.report import summarise

CAPTURED = Captured(
    statements=[
        "BEGIN",
        'SELECT 1 AS "a" FROM "bookings_booking" WHERE "reference" = \'K7M-4QX-9TRA\' LIMIT 1',
        'INSERT INTO "bookings_booking" ("reference") VALUES (\'K7M-4QX-9TRA\') RETURNING "bookings_booking"."id"',
        'INSERT INTO "bookings_bookingroom" ("booking_id", "price") VALUES (900000001, 9000000010)',
        'INSERT INTO "kernel_outboxevent" ("event_id", "payload") VALUES '
        '(\'d3132a10265042a8846610deecb77979\'::uuid, \'{"booking_id": 900000001, "at": "13:44:03"}\')',
        "COMMIT",
    ],
    reference="K7M-4QX-9TRA",
    booking_id=900000001,
)


def test_pgbench_script_varies_only_what_must_be_unique() -> None:
    lines = pgbench_script(CAPTURED).splitlines()
    assert lines[0] == "\\set r random(1, 999999999999)"
    assert lines[1] == "BEGIN;"
    assert lines[2] == 'SELECT 1 AS "a" FROM "bookings_booking" WHERE "reference" = \'L0-:r\' LIMIT 1;'
    assert lines[3].endswith('VALUES (\'L0-:r\') RETURNING "bookings_booking"."id" \\gset bk_')
    # the new booking's id is read back; a longer number that merely contains it is left alone
    assert lines[4] == 'INSERT INTO "bookings_bookingroom" ("booking_id", "price") VALUES (:bk_id, 9000000010);'
    assert lines[5] == (
        'INSERT INTO "kernel_outboxevent" ("event_id", "payload") VALUES '
        '(gen_random_uuid(), \'{"booking_id": :bk_id, "at": "13:44:03"}\');'
    )
    assert lines[6] == "COMMIT;"
    assert len(lines) == 7


def test_round_order_rotates_and_alternates() -> None:
    names = ["a", "b", "c"]
    assert round_order(names, 0) == ["a", "b", "c"]
    assert round_order(names, 1) == ["a", "c", "b"]
    assert round_order(names, 2) == ["c", "a", "b"]


def test_summary_median_and_spread() -> None:
    rounds = {
        "L1 raw SQL booking": [{"ok_per_s": 100.0}, {"ok_per_s": 80.0}, {"ok_per_s": 120.0}],
        "search fixed idle": [{"percentiles_ms": {"99.0": 20.0}}, {"percentiles_ms": {"99.0": 30.0}}],
    }
    summary = summarise(rounds)
    assert summary["L1 raw SQL booking"] == {
        "unit": "ok/s", "median": 100.0, "min": 80.0, "max": 120.0, "spread_pct": 40.0,
        "values": [100.0, 80.0, 120.0],
    }  # fmt: skip
    assert summary["search fixed idle"]["median"] == 25.0
    assert summary["search fixed idle"]["unit"] == "p99 ms"


def test_race_stays_overlap_inside_one_window_per_trial() -> None:
    first = date(2030, 1, 1)
    stays = trial_stays(5, [11, 12], first)
    assert len(stays) == 64
    assert {room_type for room_type, _, _ in stays} == {12}
    assert sorted({(check_in, nights) for _, check_in, nights in stays}) == [
        (date(2030, 1, 13), 1), (date(2030, 1, 14), 2), (date(2030, 1, 15), 3),
    ]  # fmt: skip
