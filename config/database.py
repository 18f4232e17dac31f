"""Turn one ``DATABASE_URL`` into Django's DATABASES entry, tuned per vendor.

SQLite gets WAL, IMMEDIATE transactions and a busy timeout so a few
concurrent writers queue instead of failing; PostgreSQL and Oracle get
Django's native connection pool (psycopg 3 / oracledb thin mode).
"""

from __future__ import annotations

import warnings
from typing import Any
from urllib.parse import urlsplit

import environ

from config.env import ConfigurationError

SQLITE_INIT = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
SUPPORTED = ("sqlite3", "postgresql", "oracle")


def parse_url(url: str) -> dict[str, Any]:
    """django-environ's parse, refusing what this project cannot run on (one line, no traceback)."""
    scheme = urlsplit(url).scheme if "://" in url else ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # environ warns and returns no ENGINE for an unknown scheme
        config: dict[str, Any] = environ.Env.db_url_config(url) if scheme else {}
    engine = config.get("ENGINE", "")
    if not engine.endswith(SUPPORTED):
        shown = f"scheme {scheme!r}" if scheme else "no scheme://"
        raise ConfigurationError(
            f"DATABASE_URL has {shown}: use sqlite:///path, postgres://user:pw@host:5432/db or oracle://..."
        )
    return config


def database_config(
    url: str,
    *,
    pool_min: int = 2,
    pool_max: int = 10,
    pool_timeout: float = 3.0,
    connect_timeout: int = 3,
    pool: bool = True,
    oracle_test_user: str = "",
    oracle_dsn: str = "",
    oracle_wallet_dir: str = "",
    oracle_wallet_password: str = "",
) -> dict[str, Any]:
    config = parse_url(url)
    engine = config["ENGINE"]
    options: dict[str, Any] = config.setdefault("OPTIONS", {})
    config["ATOMIC_REQUESTS"] = False
    config["CONN_HEALTH_CHECKS"] = True
    if engine.endswith("sqlite3"):
        options.update({"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": SQLITE_INIT})
        config["CONN_MAX_AGE"] = 0
    elif engine.endswith("postgresql"):
        # Short waits: with the database down a request must fail fast (503), not pile up threads.
        if pool:
            options["pool"] = {"min_size": pool_min, "max_size": pool_max, "timeout": pool_timeout}
        options["connect_timeout"] = connect_timeout
        config["CONN_MAX_AGE"] = 0  # the pool owns connection lifetime
    elif engine.endswith("oracle"):
        import oracledb

        if pool:
            options["pool"] = {
                "min": pool_min,
                "max": pool_max,
                "increment": 1,
                "getmode": oracledb.POOL_GETMODE_TIMEDWAIT,
                "wait_timeout": int(pool_timeout * 1000),
            }
        options["tcp_connect_timeout"] = float(connect_timeout)
        config["CONN_MAX_AGE"] = 0
        if oracle_dsn:
            # A TLS descriptor, Easy Connect Plus string or tnsnames alias does not fit in a URL:
            # with HOST empty Django hands NAME to oracledb as the DSN.
            config.update({"NAME": oracle_dsn, "HOST": "", "PORT": ""})
        if oracle_wallet_dir:
            # Autonomous Database with mutual TLS: the unzipped wallet holds tnsnames.ora and ewallet.pem.
            options.update({"config_dir": oracle_wallet_dir, "wallet_location": oracle_wallet_dir})
            if oracle_wallet_password:
                options["wallet_password"] = oracle_wallet_password
        if oracle_test_user:
            # Autonomous Database forbids CREATE USER for app users: run the suite
            # in an existing schema instead of creating a throwaway one.
            config["TEST"] = {
                "USER": oracle_test_user,
                "CREATE_USER": False,
                "CREATE_DB": False,
                "PASSWORD": config.get("PASSWORD", ""),
            }
    return config
