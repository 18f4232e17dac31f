import subprocess
import sys
from pathlib import Path

import pytest

from config.database import database_config
from config.env import ConfigurationError, Env, MissingVariable

ROOT = Path(__file__).resolve().parents[2]


def test_reads_plain_values_and_casts() -> None:
    env = Env({"DJANGO_DEBUG": "true", "DJANGO_ALLOWED_HOSTS": "a.example,b.example"})
    assert env.bool("DJANGO_DEBUG", default=False) is True
    assert env.list("DJANGO_ALLOWED_HOSTS") == ["a.example", "b.example"]


def test_secret_from_file_is_stripped(tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("s3cr3t-from-vault\n")
    env = Env({"DJANGO_SECRET_KEY_FILE": str(secret)})
    assert env.required("DJANGO_SECRET_KEY") == "s3cr3t-from-vault"


def test_unreadable_secret_file_names_the_variable(tmp_path: Path) -> None:
    env = Env({"DJANGO_SECRET_KEY_FILE": str(tmp_path / "absent")})
    with pytest.raises(MissingVariable, match="DJANGO_SECRET_KEY_FILE"):
        env.required("DJANGO_SECRET_KEY")


def test_missing_required_value_names_it() -> None:
    with pytest.raises(MissingVariable, match=r"^DJANGO_SECRET_KEY is not set"):
        Env({}).required("DJANGO_SECRET_KEY")
    assert Env({}).required("DJANGO_SECRET_KEY", when=False) == ""


def test_database_url_from_file(tmp_path: Path) -> None:
    url_file = tmp_path / "db"
    url_file.write_text("postgres://app:pw@db.internal:5432/hotel\n")
    env = Env({"DATABASE_URL_FILE": str(url_file)})
    assert env.str("DATABASE_URL") == "postgres://app:pw@db.internal:5432/hotel"


def test_sqlite_is_tuned_for_concurrent_use() -> None:
    config = database_config("sqlite:////tmp/x.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/tmp/x.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] == 20
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_postgres_uses_the_psycopg_pool() -> None:
    config = database_config("postgres://app:pw@db:5433/hotel", pool_min=1, pool_max=7)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == ("db", 5433, "hotel", "app")
    # Short waits by default: a request during an outage fails fast instead of queueing on the pool.
    assert config["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 7, "timeout": 3.0}
    assert config["OPTIONS"]["connect_timeout"] == 3
    assert config["CONN_MAX_AGE"] == 0


def test_pool_and_connect_timeouts_are_configurable() -> None:
    config = database_config("postgres://app@db/hotel", pool_timeout=1.5, connect_timeout=2)
    assert (config["OPTIONS"]["pool"]["timeout"], config["OPTIONS"]["connect_timeout"]) == (1.5, 2)
    oracle = database_config("oracle://app:pw@adb.example:1522/hotel_high", pool_timeout=1.5, connect_timeout=2)
    assert (oracle["OPTIONS"]["pool"]["wait_timeout"], oracle["OPTIONS"]["tcp_connect_timeout"]) == (1500, 2.0)


@pytest.mark.parametrize(
    ("url", "shown"),
    [("garbage", "no scheme://"), ("mysql://u:p@db/hotel", "scheme 'mysql'"), ("redis://h/0", "scheme 'redis'")],
)
def test_an_unsupported_database_url_is_one_configuration_error(url: str, shown: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        database_config(url)
    assert str(caught.value) == (
        f"DATABASE_URL has {shown}: use sqlite:///path, postgres://user:pw@host:5432/db or oracle://..."
    )


def test_oracle_url_and_existing_test_user() -> None:
    config = database_config("oracle://app:pw@adb.example:1522/hotel_high", oracle_test_user="APP_TEST")
    assert config["ENGINE"] == "django.db.backends.oracle"
    assert config["NAME"] == "hotel_high"
    assert config["OPTIONS"]["pool"]["max"] == 10
    assert config["TEST"] == {"USER": "APP_TEST", "CREATE_USER": False, "CREATE_DB": False, "PASSWORD": "pw"}


def test_oracle_autonomous_database_with_wallet_and_descriptor() -> None:
    descriptor = (
        "(description=(address=(protocol=tcps)(port=1522)(host=adb.example))(connect_data=(service_name=x_high)))"
    )
    config = database_config(
        "oracle://ADMIN:pw@/ignored",
        oracle_dsn=descriptor,
        oracle_wallet_dir="/var/run/secrets/wallet",
        oracle_wallet_password="wallet-pw",
    )
    assert (config["NAME"], config["HOST"], config["PORT"], config["USER"]) == (descriptor, "", "", "ADMIN")
    assert config["OPTIONS"]["config_dir"] == "/var/run/secrets/wallet"
    assert config["OPTIONS"]["wallet_location"] == "/var/run/secrets/wallet"
    assert config["OPTIONS"]["wallet_password"] == "wallet-pw"


def test_oracle_dsn_reaches_the_driver_unchanged() -> None:
    from django.db.backends.oracle.base import dsn

    config = database_config("oracle://ADMIN:pw@/ignored", oracle_dsn="tcps://adb.example:1522/x_high?retry_count=20")
    assert dsn(config) == "tcps://adb.example:1522/x_high?retry_count=20"


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**base, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_start_without_secret_key_fails_fast_with_one_line() -> None:
    result = _start({"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "false"})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "booking_platform: configuration error: DJANGO_SECRET_KEY is not set "
        "(set it, or DJANGO_SECRET_KEY_FILE to the path of a file that holds it)"
    ]


def test_start_with_secret_key_and_debug_off_succeeds() -> None:
    result = _start({"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_SECRET_KEY": "x" * 50})
    assert (result.returncode, result.stderr) == (0, "")


def test_settings_default_to_safe_values(settings) -> None:
    # The suite runs with the defaults a production start would see.
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.CELERY_TASK_SERIALIZER == "json"
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


SENTRY_PROBE = (
    "import django, sentry_sdk; django.setup(); client = sentry_sdk.get_client(); "
    "print(client.is_active(), client.options['send_default_pii'], "
    "sorted(n for n in client.integrations if n in {'django', 'celery', 'redis'}))"
)


@pytest.mark.parametrize(
    ("dsn", "expected"),
    [("", "False None []"), ("http://public@127.0.0.1:9/1", "True False ['celery', 'django', 'redis']")],
)
def test_sentry_starts_only_with_a_dsn_and_without_pii(dsn: str, expected: str) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.update({"DJANGO_SECRET_KEY": "x" * 50, "SENTRY_DSN": dsn})
    result = subprocess.run(
        [sys.executable, "-c", SENTRY_PROBE], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
