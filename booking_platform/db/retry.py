"""A bounded re-run of a whole transaction that the database aborted (deadlock, serialization failure)
or that drew a random value already taken (``Clash``).

The cure for deadlocks is the one lock order (docs/contracts.md); this is only the second line.
It retries only where the decorated function owns the outermost transaction: inside someone
else's ``atomic`` block the aborted transaction is theirs, so the error goes up to the owner.
After the last attempt the caller gets ``TryAgain`` (a 503 with a stable code), never the raw error.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import IntegrityError, OperationalError, connection
from prometheus_client import Counter

from booking_platform.errors import ApplicationError

P = ParamSpec("P")
R = TypeVar("R")

logger = logging.getLogger(__name__)

# PostgreSQL: deadlock_detected, serialization_failure. Oracle: ORA-00060 deadlock, ORA-08177 serialization.
RETRYABLE = ("40P01", "40001", "ORA-00060", "ORA-08177")
ATTEMPTS = 3
DB_RETRIES = Counter("bp_db_transaction_retries", "Transactions re-run after a deadlock or serialization failure.")


class TryAgain(ApplicationError):
    """The database kept aborting the transaction; nothing was changed and the same call may be repeated."""

    code = "try_again"
    http_status = 503


class Clash(Exception):
    """Raised inside a transaction when a value drawn at random (a booking reference) hit a unique
    index: the transaction is spoiled on PostgreSQL, so its outermost owner re-runs it afresh."""


def is_unique_violation(exc: IntegrityError) -> bool:
    """A unique index refused the row (PostgreSQL 23505, Oracle ORA-00001, SQLite's own words)."""
    return any(code in _marker(exc) for code in ("23505", "ORA-00001", "UNIQUE constraint failed"))


def is_retryable(exc: OperationalError | Clash) -> bool:
    if isinstance(exc, Clash):
        return True
    return any(code in _marker(exc) for code in RETRYABLE)


def _marker(exc: Exception) -> str:
    """The driver's SQLSTATE where it gives one (psycopg), else the message (oracledb, sqlite3)."""
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) or str(cause or exc)


def retry_on_deadlock(service: Callable[P, R]) -> Callable[P, R]:
    """Re-run ``service`` when the database aborted its transaction; only if it owns the outermost one."""

    @functools.wraps(service)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if connection.in_atomic_block:
            return service(*args, **kwargs)  # the transaction's owner decides
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return service(*args, **kwargs)
            except (OperationalError, Clash) as exc:
                if not is_retryable(exc):
                    raise
                DB_RETRIES.inc()
                logger.warning(
                    "transaction aborted by the database; re-running it",
                    extra={
                        "service": getattr(service, "__qualname__", repr(service)),
                        "attempt": attempt,
                        "error": str(exc)[:200],
                    },
                )
                if attempt == ATTEMPTS:
                    raise TryAgain("The system is busy; nothing was changed. Please try again.") from exc
                time.sleep(random.uniform(0.01, 0.05) * attempt)  # jitter, not security
        raise AssertionError("unreachable")

    return wrapper
