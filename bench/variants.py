"""Who races for the last unit: the real booking service, the raw-SQL booking, the naive
negative control, and the partner API once it exists."""

from __future__ import annotations

import argparse

from bench.dataset import Dataset
from bench.race import Variant


def partner_api(dataset: Dataset) -> dict | None:
    """The partner API's direct booking path and a key for it, or None while there is none."""
    return None


def race_variants(ctx, args: argparse.Namespace) -> list[tuple[Variant, int]]:
    data = ctx.dataset
    rts = data.race_room_type_ids

    def service_body(client: int, room_type_id: int, check_in, nights: int) -> dict:
        return {
            "property_id": data.race_property_id, "customer_id": data.customer_ids[client % len(data.customer_ids)],
            "room_type_id": room_type_id, "rate_plan_id": data.race_rate_plan_id,
            "check_in": check_in.isoformat(), "nights": nights,
        }  # fmt: skip

    def raw_body(client: int, room_type_id: int, check_in, nights: int) -> dict:
        key = f"race-{room_type_id}-{check_in.isoformat()}-{client}"
        return {"room_type_id": room_type_id, "check_in": check_in.isoformat(), "nights": nights, "key": key}

    variants = [
        (Variant("booking service", "/bench/service-book", rts[0:4], service_body), args.trials),
        (Variant("raw SQL booking", "/bench/raw-book", rts[10:12], raw_body), args.trials),
        (Variant("naive read-then-write (negative control)", "/bench/naive-book", rts[8:10], raw_body),
         args.naive_trials),
    ]  # fmt: skip
    return variants
