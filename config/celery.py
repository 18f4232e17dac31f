"""The Celery app: settings from Django (CELERY_*), tasks autodiscovered from apps."""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("booking_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue(name) for name in ("default", "notifications", "maintenance")]
app.autodiscover_tasks(["booking_platform"])
app.autodiscover_tasks()

from celery.signals import worker_init  # noqa: E402

import booking_platform.observability.celery  # noqa: E402,F401  (request id signals)


@worker_init.connect(weak=False)
def _refuse_misconfigured_worker(**_: object) -> None:
    """A worker with console mail would mark every notification sent while nobody gets it."""
    from config.preflight import require_ready

    require_ready("worker")
