"""The second line against deadlocks: re-run only the outermost transaction, never hand out the raw error.

The errors are the real psycopg exception classes Django wraps (what a deadlock raises on PostgreSQL);
the stress tests in apps/bookings/tests/test_concurrency_*.py drive the real thing.
"""

from __future__ import annotations

import psycopg.errors
import pytest
from django.db import OperationalError, transaction
from prometheus_client import REGISTRY

from booking_platform.db.retry import ATTEMPTS, TryAgain, retry_on_deadlock

pytestmark = pytest.mark.django_db(transaction=True)


def _deadlock() -> OperationalError:
    error = OperationalError("deadlock detected")
    error.__cause__ = psycopg.errors.DeadlockDetected("deadlock detected")
    return error


def _retries() -> float:
    return REGISTRY.get_sample_value("bp_db_transaction_retries_total") or 0.0


class Flaky:
    """Fails with ``error`` the first ``failures`` calls, then answers."""

    def __init__(self, failures: int, error: OperationalError) -> None:
        self.failures, self.error, self.calls = failures, error, 0

    def __call__(self, *, value: int) -> int:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return value


def test_the_outermost_transaction_is_re_run_after_a_deadlock() -> None:
    flaky, before = Flaky(ATTEMPTS - 1, _deadlock()), _retries()
    assert retry_on_deadlock(flaky)(value=7) == 7
    assert flaky.calls == ATTEMPTS
    assert _retries() == before + ATTEMPTS - 1


def test_after_the_last_attempt_the_caller_gets_try_again_not_the_raw_error() -> None:
    flaky = Flaky(ATTEMPTS, _deadlock())
    with pytest.raises(TryAgain) as exc:
        retry_on_deadlock(flaky)(value=7)
    assert (exc.value.code, exc.value.http_status, flaky.calls) == ("try_again", 503, ATTEMPTS)


def test_inside_someone_elses_transaction_the_error_goes_up_to_its_owner() -> None:
    flaky, before = Flaky(1, _deadlock()), _retries()
    with pytest.raises(OperationalError), transaction.atomic():
        retry_on_deadlock(flaky)(value=7)
    assert (flaky.calls, _retries()) == (1, before)


def test_other_database_errors_are_not_retried() -> None:
    other = OperationalError("connection refused")
    other.__cause__ = psycopg.errors.ConnectionException("connection refused")
    flaky, before = Flaky(1, other), _retries()
    with pytest.raises(OperationalError, match="connection refused"):
        retry_on_deadlock(flaky)(value=7)
    assert (flaky.calls, _retries()) == (1, before)
