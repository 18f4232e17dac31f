"""Who races for the last unit: the real booking service, the partner API, the raw-SQL booking and
the naive negative control; and the partner the API levels act as."""

from __future__ import annotations

import argparse
import time
from datetime import timedelta

from bench.dataset import Dataset
from bench.race import Variant

API_PATH = "/api/v1/bookings/"


def partner_api(dataset: Dataset) -> dict:
    """A partner selling every property with a limit no bench run reaches, and its key (shown once)."""
    from apps.partners.keys import partner_create

    issued = partner_create(
        name="Bench aggregator", slug=f"bench-aggregator-{int(time.time())}", all_properties=True,
        rate_limit_per_minute=1_000_000_000,
    )  # fmt: skip
    return {"path": API_PATH, "token": issued.key, "slug": "bench-grand", "race_slug": "bench-race"}


def api_headers(token: str, key: str) -> dict[str, str]:
    return {"Authorization": f"Api-Key {token}", "Idempotency-Key": key}


def api_body(*, slug: str, room_type_id: int, rate_plan_id: int, check_in, nights: int, guest: int, key: str) -> dict:
    check_out = check_in + timedelta(days=nights)
    return {
        "property": slug, "check_in": check_in.isoformat(), "check_out": check_out.isoformat(),
        "rooms": [{"room_type_id": room_type_id, "rate_plan_id": rate_plan_id, "adults": 2}],
        "guest": {"email": f"guest{guest}@bench.example", "first_name": "Bench", "last_name": "Guest"},
        "partner_reference": key,
    }  # fmt: skip


def race_variants(ctx, args: argparse.Namespace) -> list[tuple[Variant, int]]:
    data = ctx.dataset
    rts = data.race_room_type_ids

    def service_body(trial: int, client: int, room_type_id: int, check_in, nights: int) -> dict:
        return {
            "property_id": data.race_property_id, "customer_id": data.customer_ids[client % len(data.customer_ids)],
            "room_type_id": room_type_id, "rate_plan_id": data.race_rate_plan_id,
            "check_in": check_in.isoformat(), "nights": nights,
        }  # fmt: skip

    def raw_body(trial: int, client: int, room_type_id: int, check_in, nights: int) -> dict:
        key = f"race-{room_type_id}-{check_in.isoformat()}-{client}"
        return {"room_type_id": room_type_id, "check_in": check_in.isoformat(), "nights": nights, "key": key}

    def race_api_body(trial: int, client: int, room_type_id: int, check_in, nights: int) -> dict:
        return api_body(
            slug=ctx.api["race_slug"], room_type_id=room_type_id, rate_plan_id=data.race_rate_plan_id,
            check_in=check_in, nights=nights, guest=client, key=f"race-{trial}-{client}",
        )  # fmt: skip

    variants = [
        (Variant("booking service", "/bench/service-book", rts[0:4], service_body), args.trials),
        (Variant("partner API", API_PATH, rts[4:8], race_api_body,
                 headers=lambda trial, client: api_headers(ctx.api["token"], f"race-{trial}-{client}")), args.trials),
        (Variant("raw SQL booking", "/bench/raw-book", rts[10:12], raw_body), args.trials),
        (Variant("naive read-then-write (negative control)", "/bench/naive-book", rts[8:10], raw_body),
         args.naive_trials),
    ]  # fmt: skip
    return variants
