from __future__ import annotations

import math
import re

from apps.bookings.references import ALPHABET, LENGTH, new_reference, normalise_reference


def test_reference_shape_and_alphabet() -> None:
    reference = new_reference()
    assert re.fullmatch(r"[2-9A-Z]{3}-[2-9A-Z]{3}-[2-9A-Z]{4}", reference)
    assert not set("01OILU") & set(ALPHABET)
    assert LENGTH * math.log2(len(ALPHABET)) >= 40


def test_references_do_not_repeat() -> None:
    assert len({new_reference() for _ in range(20000)}) == 20000


def test_what_a_guest_types_is_normalised() -> None:
    assert normalise_reference(" k7m 4qx-9tra ") == "K7M-4QX-9TRA"
    assert normalise_reference("K7M4QX9TRA") == "K7M-4QX-9TRA"
    assert normalise_reference("K7M-4QX-9TR") == ""
    assert normalise_reference("K7M-4QX-9TR0") == ""  # 0 is never issued
