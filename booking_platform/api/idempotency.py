"""Idempotency-Key handling for POSTs: the first response is stored and replayed for 24 hours.

The key is claimed in its own short transaction (so a concurrent retry sees it at once and gets
409 ``idempotency_in_flight``), then the work and the stored response commit in ONE transaction:
either both happen or neither, so no crash can leave a booking without its replay or a replay
without its booking. A claim whose attempt died is taken over after ``IDEMPOTENCY_LOCK_SECONDS``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from booking_platform.api.models import IdempotencyRecord
from booking_platform.db.retry import retry_on_deadlock
from booking_platform.errors import ApplicationError, Conflict, ValidationFailed

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255


class IdempotencyKeyReused(ApplicationError):
    code = "idempotency_key_reused"
    http_status = 422


class IdempotencyInFlight(Conflict):
    code = "idempotency_in_flight"


@dataclass(frozen=True)
class _Claim:
    pk: int
    token: datetime


def fingerprint(*, method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def clean_key(raw: str | None) -> str:
    """Every POST needs a key: 1-255 visible ASCII characters (a UUID is the usual choice)."""
    key = (raw or "").strip()
    if not key:
        raise ValidationFailed(
            "Send an Idempotency-Key header with every POST.", code="idempotency_key_required", extra={"field": HEADER}
        )
    if len(key) > MAX_KEY_LENGTH or not all(33 <= ord(ch) <= 126 for ch in key):
        raise ValidationFailed(
            "Idempotency-Key must be 1-255 visible ASCII characters.",
            code="invalid_idempotency_key",
            extra={"field": HEADER},
        )
    return key


def _ttl() -> timedelta:
    return timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS)


def _insert(*, owner: str, key: str, print_: str, now: datetime) -> IdempotencyRecord:
    """The claim's row. Outside a transaction (a request) it is one autocommit INSERT, committed and
    seen by a concurrent retry at once; inside one (tests, a caller's transaction) a savepoint keeps
    a duplicate key from spoiling the caller's transaction."""
    fields = {"owner": owner, "idempotency_key": key, "fingerprint": print_, "locked_at": now, "created_at": now}
    if transaction.get_autocommit():
        return IdempotencyRecord.objects.create(**fields)
    with transaction.atomic():
        return IdempotencyRecord.objects.create(**fields)


def _claim(*, owner: str, key: str, print_: str) -> _Claim | Response:
    """Own the key (a _Claim), or the stored answer to replay; IdempotencyInFlight / KeyReused otherwise."""
    for _ in range(3):
        now = timezone.now()
        try:
            record = _insert(owner=owner, key=key, print_=print_, now=now)
            return _Claim(record.pk, now)
        except IntegrityError:
            pass
        record = IdempotencyRecord.objects.filter(owner=owner, idempotency_key=key).first()
        if record is None:
            continue  # purged between our insert and read: try again
        if record.created_at <= now - _ttl():
            IdempotencyRecord.objects.filter(pk=record.pk, created_at=record.created_at).delete()
            continue
        if record.fingerprint != print_:
            raise IdempotencyKeyReused(
                "This Idempotency-Key was used for a different request.", extra={"field": HEADER}
            )
        if record.state == IdempotencyRecord.State.DONE:
            return Response(record.response_body, status=record.response_status, headers={REPLAY_HEADER: "true"})
        stale = now - timedelta(seconds=settings.IDEMPOTENCY_LOCK_SECONDS)
        if record.locked_at <= stale and IdempotencyRecord.objects.filter(
            pk=record.pk, state=IdempotencyRecord.State.IN_FLIGHT, locked_at=record.locked_at
        ).update(locked_at=now):
            return _Claim(record.pk, now)
        raise IdempotencyInFlight(
            "A request with this Idempotency-Key is still being processed; retry shortly.", extra={"retry_after": 1}
        )
    raise IdempotencyInFlight("A request with this Idempotency-Key is still being processed; retry shortly.")


def run_idempotent(*, owner: str, key: str, print_: str, work: Callable[[], Response]) -> Response:
    """Run ``work`` once per (owner, key); a 2xx answer is stored with it, a refusal frees the key."""
    claim = _claim(owner=owner, key=key, print_=print_)
    if isinstance(claim, Response):
        return claim
    try:
        return _work_and_store(claim, work)
    except _NotStored as refused:
        _release(claim)
        return refused.response
    except BaseException:
        _release(claim)
        raise


@retry_on_deadlock  # this is the outermost transaction, so a deadlock re-runs the whole work here
def _work_and_store(claim: _Claim, work: Callable[[], Response]) -> Response:
    with transaction.atomic():
        response = work()
        if not 200 <= response.status_code < 300:
            raise _NotStored(response)
        body = json.loads(JSONRenderer().render(response.data) or b"null")
        finished = IdempotencyRecord.objects.filter(
            pk=claim.pk, state=IdempotencyRecord.State.IN_FLIGHT, locked_at=claim.token
        ).update(state=IdempotencyRecord.State.DONE, response_status=response.status_code, response_body=body)
        if not finished:  # our claim lapsed and another attempt took over: undo ours
            raise IdempotencyInFlight("This request took too long and was superseded by a retry.")
    return response


class _NotStored(Exception):  # control flow: roll the work back, hand the answer on
    def __init__(self, response: Response) -> None:
        super().__init__("not stored")
        self.response = response


def _release(claim: _Claim) -> None:
    IdempotencyRecord.objects.filter(
        pk=claim.pk, state=IdempotencyRecord.State.IN_FLIGHT, locked_at=claim.token
    ).delete()


def purge_expired(*, now: datetime | None = None) -> int:
    """Drop records past the replay window (a daily task); their keys may then be used afresh."""
    cutoff = (now or timezone.now()) - _ttl()
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
