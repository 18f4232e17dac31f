"""Booking references: short, spoken over the phone, never guessable from another one."""

from __future__ import annotations

import secrets

# 30 symbols: digits and capitals without 0/O, 1/I/L and U (fewer accidental words); easy to read aloud.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10  # 10 symbols * log2(30) = 49 bits of randomness


def new_reference() -> str:
    """E.g. "K7M-4QX-9TRA": three groups, hyphens only for reading; all randomness from `secrets`."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:3]}-{raw[3:6]}-{raw[6:]}"


def normalise_reference(text: str) -> str:
    """Accept what a guest types (any case, spaces, with or without hyphens); "" if it cannot be one."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return ""
    return f"{cleaned[:3]}-{cleaned[3:6]}-{cleaned[6:]}"
