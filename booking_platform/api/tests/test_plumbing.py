"""The kernel API plumbing on its own: problem mapping, cursors, and the idempotency store."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.response import Response

from booking_platform.api.idempotency import IdempotencyInFlight, IdempotencyKeyReused, run_idempotent
from booking_platform.api.models import IdempotencyRecord
from booking_platform.api.pagination import decode_cursor, encode_cursor
from booking_platform.api.problems import exception_handler, field_errors
from booking_platform.errors import Conflict, ValidationFailed


def test_application_errors_keep_status_code_and_field() -> None:
    response = exception_handler(ValidationFailed("Bad date.", code="bad_date", extra={"field": "check_in"}), {})
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    assert response.data == {
        "type": "urn:problem:bad_date",
        "title": "Bad request",
        "status": 400,
        "detail": "Bad date.",
        "code": "bad_date",
        "errors": [{"field": "check_in", "code": "bad_date", "message": "Bad date."}],
        "extra": {"field": "check_in"},
    }
    assert exception_handler(Conflict("Taken."), {}).data["status"] == 409


def test_nested_validation_errors_are_flattened_with_dotted_fields() -> None:
    detail = exceptions.ValidationError({"rooms": [{}, {"adults": ["Too many."]}], "email": ["Invalid."]}).detail
    assert field_errors(detail) == [
        {"field": "rooms.1.adults", "code": "invalid", "message": "Too many."},
        {"field": "email", "code": "invalid", "message": "Invalid."},
    ]


def test_throttled_carries_retry_after_and_unknown_errors_are_left_alone() -> None:
    response = exception_handler(exceptions.Throttled(wait=12.2), {})
    assert (response.status_code, response["Retry-After"], response.data["code"]) == (429, "13", "rate_limited")
    assert exception_handler(RuntimeError("boom"), {}) is None


@pytest.mark.parametrize("position", [0, 1, 2**62])
def test_cursor_round_trip(position: int) -> None:
    assert decode_cursor(encode_cursor(position)) == position


@pytest.mark.parametrize("raw", ["x", "djI6MQ", "djE6YWJj"])
def test_foreign_cursors_are_field_errors(raw: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        decode_cursor(raw, field="after")
    assert (refused.value.code, refused.value.extra) == ("invalid_cursor", {"field": "after"})


@pytest.mark.django_db
def test_run_idempotent_runs_once_and_replays() -> None:
    calls = []

    def work() -> Response:
        calls.append(1)
        return Response({"n": len(calls)}, status=201)

    first = run_idempotent(owner="o", key="k", print_="f", work=work)
    second = run_idempotent(owner="o", key="k", print_="f", work=work)
    assert (first.status_code, first.data, second.status_code, second.data) == (201, {"n": 1}, 201, {"n": 1})
    assert second["Idempotent-Replayed"] == "true"
    assert calls == [1]
    with pytest.raises(IdempotencyKeyReused):
        run_idempotent(owner="o", key="k", print_="other", work=work)


@pytest.mark.django_db
def test_a_failing_work_rolls_back_and_frees_the_key() -> None:
    def boom() -> Response:
        IdempotencyRecord.objects.create(
            owner="x",
            idempotency_key="side",
            fingerprint="f",
            locked_at="2030-01-01T00:00Z",
            created_at="2030-01-01T00:00Z",
        )
        raise Conflict("No.")

    with pytest.raises(Conflict):
        run_idempotent(owner="o", key="k2", print_="f", work=boom)
    assert IdempotencyRecord.objects.count() == 0  # neither the claim nor the work's writes survive
    assert run_idempotent(owner="o", key="k2", print_="f", work=lambda: Response({}, status=200)).status_code == 200


@pytest.mark.django_db
def test_in_flight_is_409() -> None:
    def nested() -> Response:
        with pytest.raises(IdempotencyInFlight):
            run_idempotent(owner="o", key="k3", print_="f", work=lambda: Response({}))
        return Response({"ok": True})

    assert run_idempotent(owner="o", key="k3", print_="f", work=nested).data == {"ok": True}


class _Deadlock(Exception):
    sqlstate = "40P01"


@pytest.mark.django_db(transaction=True)
def test_a_deadlocked_work_is_run_again_and_stored_once() -> None:
    from django.db import OperationalError

    attempts = []

    def work() -> Response:
        attempts.append(1)
        IdempotencyRecord.objects.create(
            owner="side",
            idempotency_key=str(len(attempts)),
            fingerprint="f",
            locked_at="2030-01-01T00:00Z",
            created_at="2030-01-01T00:00Z",
        )
        if len(attempts) == 1:
            raise OperationalError("deadlock detected") from _Deadlock()
        return Response({"attempt": len(attempts)}, status=201)

    response = run_idempotent(owner="o", key="dl", print_="f", work=work)
    assert (response.status_code, response.data) == (201, {"attempt": 2})
    # The first attempt's write was rolled back with it; the second one's and the stored answer remain.
    assert sorted(IdempotencyRecord.objects.values_list("owner", "idempotency_key", "state")) == [
        ("o", "dl", "done"),
        ("side", "2", "in_flight"),
    ]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_claim_is_one_autocommit_insert() -> None:
    """A request is not in a transaction: its claim commits by itself (no BEGIN, savepoint, COMMIT)."""
    claims: list[bool] = []

    def spy(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if sql.lstrip().upper().startswith("INSERT") and IdempotencyRecord._meta.db_table in sql:
            claims.append(connection.in_atomic_block)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        first = run_idempotent(owner="o", key="ac", print_="f", work=lambda: Response({"n": 1}, status=201))
        replay = run_idempotent(owner="o", key="ac", print_="f", work=lambda: Response({"n": 2}, status=201))
    assert claims == [False, False]  # the replay's insert hit the unique key, outside any transaction too
    assert (first.data, replay.data, replay["Idempotent-Replayed"]) == ({"n": 1}, {"n": 1}, "true")
    now = timezone.now()
    IdempotencyRecord.objects.create(owner="o", idempotency_key="busy", fingerprint="f", locked_at=now, created_at=now)
    with pytest.raises(IdempotencyInFlight):
        run_idempotent(owner="o", key="busy", print_="f", work=lambda: Response({}, status=201))
    assert IdempotencyRecord.objects.get(owner="o", idempotency_key="busy").state == "in_flight"
