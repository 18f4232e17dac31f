"""A Celery worker with console mail would mark notifications sent while nobody gets them: it refuses to start."""

import subprocess
import sys
from pathlib import Path

from config.tests.servers import ROOT, base_env


def _worker(env: dict[str, str]) -> subprocess.CompletedProcess:
    celery = Path(sys.executable).with_name("celery")
    command = [str(celery), "--app", "config", "worker", "--pool", "solo", "--without-gossip", "--without-mingle"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_a_worker_with_console_backends_refuses_to_start_in_one_line(tmp_path: Path) -> None:
    env = base_env(tmp_path, EMAIL_URL="consolemail://", SMS_BACKEND="http", SMS_API_URL="http://127.0.0.1:9/sms")
    env.update(ALLOW_CONSOLE_BACKENDS="false", CELERY_BROKER_URL="memory://")
    done = _worker(env)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "booking_platform: worker refuses to start: EMAIL_URL is the console (mail would be printed, not sent); "
        "set EMAIL_URL"
    )
    assert "Traceback" not in done.stderr
