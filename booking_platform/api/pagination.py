"""Keyset (cursor) pages: opaque cursors over an ever-growing id, so pages never shift or repeat."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

from booking_platform.errors import ValidationFailed

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"v1:{position}".encode()).decode().rstrip("=")


def decode_cursor(raw: str | None, *, field: str = "cursor") -> int | None:
    """The position a cursor names; a cursor the API did not hand out is a field error, not a 500."""
    if raw is None or raw == "":
        return None
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("ascii")
        version, _, number = text.partition(":")
        position = int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        position, version = -1, ""
    if version != "v1" or not 0 <= position < 2**63:
        raise ValidationFailed(
            "This cursor is not one the API handed out.", code="invalid_cursor", extra={"field": field}
        )
    return position


def parse_limit(raw: str | None, *, field: str = "limit") -> int:
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ValidationFailed(f"Limit must be 1 to {MAX_LIMIT}.", code="invalid_limit", extra={"field": field})
    return int(raw)


def page(results: Sequence[Any], *, limit: int, position_of: Any) -> dict[str, Any]:
    """``results`` holds up to limit + 1 items: the extra one only says another page exists."""
    items = list(results[:limit])
    more = len(results) > limit
    return {"results": items, "next_cursor": encode_cursor(position_of(items[-1])) if more and items else None}
