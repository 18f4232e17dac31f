"""Suite-wide fixtures: in-process Celery by default, and honest skips for missing services.

On the SQLite pass a test that needs PostgreSQL, Redis or a worker skips with a reason.
With REQUIRE_SERVICES=1 (CI's PostgreSQL pass) the same absence fails the test instead.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.db import connection

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") in {"1", "true", "yes"}


def pytest_configure(config: pytest.Config) -> None:
    """Make PostgreSQL refuse what Oracle refuses: a row lock on a sliced query (``.first()``, ``[:n]``).

    With this, the PostgreSQL pass fails any code path that would break on Oracle at run time,
    not only the hot queries ``oracle_sql`` compiles.
    """
    from django.db.backends.postgresql.features import DatabaseFeatures

    DatabaseFeatures.supports_select_for_update_with_limit = False


def _missing(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"required service unavailable: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _celery_in_process(request: pytest.FixtureRequest) -> None:
    """Tasks run in-process unless a test asks for the real worker."""
    from config.celery import app

    eager = request.node.get_closest_marker("worker") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager or settings.CELERY_TASK_ALWAYS_EAGER
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fresh_catalogue_copies() -> None:
    """Search's per-process catalogue copies start empty in every test, as in a new worker."""
    from apps.availability.selectors.catalogue_cache import forget_catalogues

    forget_catalogues()


@pytest.fixture
def require_postgres() -> None:
    if connection.vendor != "postgresql":
        _missing(f"needs PostgreSQL (DATABASE_URL points at {connection.vendor})")


@pytest.fixture
def require_redis() -> str:
    url = settings.REDIS_URL
    if not url:
        _missing("needs Redis (REDIS_URL is not set)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        _missing(f"needs Redis at {url}: {exc}")
    return url


@pytest.fixture
def require_worker(require_redis: str) -> None:
    """A real `celery worker` consuming our queues (CI starts one against the test database)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        _missing("needs a Celery broker (CELERY_BROKER_URL is not set)")
    from config.celery import app

    replies = app.control.ping(timeout=2.0)
    if not replies:
        _missing("needs a running Celery worker (none answered a ping)")
