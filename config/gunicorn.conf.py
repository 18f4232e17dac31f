"""gunicorn: bind $PORT, $WEB_CONCURRENCY workers, graceful shutdown, JSON logs, one /metrics for all workers.

The master refuses to start on a misconfiguration (``config.preflight``) in one line. Every
worker writes its Prometheus samples into PROMETHEUS_MULTIPROC_DIR (a fresh temporary
directory unless set), so /metrics sums all workers; a dead worker's live gauges are dropped.
"""

import os
import shutil
import tempfile
from pathlib import Path

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "25"))
# 0: close each connection after its response. gthread workers accept keep-alive connections
# unevenly: with a few long-lived ones (a load balancer's or ingress's pool) one worker can end up
# serving all of them, bound to one core by its GIL, while the others idle (the bench saw rounds at
# half speed with one worker at 94% CPU and the other at 0%). A new connection per request goes to
# whichever worker is free. Set GUNICORN_KEEPALIVE (seconds) to keep connections open.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "0"))
# A worker is replaced after this many requests (a safety net for slow leaks). Replacing one costs about
# 1.8 s of CPU re-importing the app (the bench measured it), so not too often: 0.2 ms a request at 10,000.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = max_requests // 10  # workers started together are not all replaced together
accesslog = None  # the app logs one JSON line per request itself
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "config.wsgi:application"

# Set before any worker imports prometheus_client: it picks multiprocess mode at import.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="bp-prometheus-")
Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)

_FORMATTER = "console" if os.environ.get("LOG_FORMAT", "json") == "console" else "json"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "booking_platform.observability.logging.JsonFormatter"},
        "console": {"()": "booking_platform.observability.logging.ConsoleFormatter"},
    },
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": _FORMATTER},
    },
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": ["stdout"], "propagate": False},
    },
    "root": {"level": loglevel.upper(), "handlers": []},
}


def on_starting(server):
    """Master, once: an empty metrics directory, then the start-up checks (exit in one line)."""
    for leftover in Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).glob("*.db"):
        leftover.unlink()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from config.preflight import require_ready

    require_ready("web")


def child_exit(server, worker):
    """A worker is gone: drop its live samples (counters and histograms stay summed)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """Remove the metrics directory this config created (a directory someone set is theirs)."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if Path(directory).name.startswith("bp-prometheus-"):
        shutil.rmtree(directory, ignore_errors=True)


def post_worker_init(worker):
    """The app is loaded: move its objects out of the collector's reach (``gc.freeze``).

    Django, DRF and the models leave a few hundred thousand long-lived objects; without this, every
    full collection walks them all, and a search that builds thousands of rows triggers collections
    often enough to add tens of milliseconds to some requests.
    """
    import gc

    gc.collect()
    gc.freeze()
