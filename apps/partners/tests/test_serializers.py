"""Input serializers reuse their fields (built once per thread and variant) and still validate each body afresh."""

from __future__ import annotations

import threading

from apps.partners.serializers import BookingIn, StayIn

STAY = {
    "property": "hotel-1",
    "check_in": "2030-03-10",
    "check_out": "2030-03-12",
    "rooms": [{"room_type_id": 3, "rate_plan_id": 4, "adults": 2}],
    "guest": {"email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"},
}


def test_fields_are_built_once_per_thread_and_shared_by_later_instances() -> None:
    first, second = StayIn(data=STAY), StayIn(data={})
    assert first.fields is second.fields
    assert first.fields["check_in"].parent is second  # bound to the instance that validates now
    elsewhere: list[object] = []
    thread = threading.Thread(target=lambda: elsewhere.append(StayIn(data=STAY).fields))
    thread.start()
    thread.join()
    assert elsewhere[0] is not first.fields


def test_a_hold_body_and_a_stay_body_each_get_their_own_required_fields() -> None:
    for _ in range(2):  # the second round runs on the fields the first one built
        hold = BookingIn(data={"hold": "ABC-DEF-GHJK"})
        assert hold.is_valid(), hold.errors
        assert hold.validated_data["hold"] == "ABC-DEF-GHJK"
        stay = BookingIn(data=STAY)
        assert stay.is_valid(), stay.errors
        assert stay.validated_data["rooms"][0] == {
            "room_type_id": 3,
            "rate_plan_id": 4,
            "adults": 2,
            "children": 0,
            "guest_name": "",
        }
        empty = BookingIn(data={})
        assert not empty.is_valid()
        assert set(empty.errors) == {"property", "check_in", "check_out", "rooms", "guest"}


def _codes(errors: object) -> object:
    if isinstance(errors, dict):
        return {key: _codes(value) for key, value in errors.items()}
    if isinstance(errors, list):
        return [_codes(value) for value in errors]
    return errors.code  # type: ignore[attr-defined]


def test_errors_do_not_leak_from_one_body_to_the_next() -> None:
    bad = StayIn(data={**STAY, "rooms": [{"room_type_id": 0, "rate_plan_id": 4, "adults": 2}], "guest": {"email": "x"}})
    assert not bad.is_valid()
    assert _codes(bad.errors) == {
        "rooms": {0: {"room_type_id": ["min_value"]}},
        "guest": {"email": ["invalid"], "first_name": ["required"], "last_name": ["required"]},
    }
    good = StayIn(data=STAY)
    assert good.is_valid(), good.errors
    typo = StayIn(data={**STAY, "guest": {**STAY["guest"], "emial": "a@b.c"}})  # type: ignore[dict-item]
    assert not typo.is_valid()
    assert _codes(typo.errors) == {"guest": {"emial": ["invalid"]}}
