"""Start-up checks for the long-running processes (gunicorn, Celery worker): refuse early, in one line.

Run before the first request, not on every ``manage.py`` call, so developers' commands
(makemigrations, shell) keep working with a bare key while servers cannot start misconfigured.
"""

from __future__ import annotations

import sys
from pathlib import Path

CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"


def problems(*, serves_pages: bool) -> list[str]:
    """What would make this process fail or silently lose work once it serves traffic."""
    from django.conf import settings

    found: list[str] = []
    if not settings.ALLOW_CONSOLE_BACKENDS:
        if settings.EMAIL_BACKEND == CONSOLE_EMAIL:
            found.append("EMAIL_URL is the console (mail would be printed, not sent); set EMAIL_URL")
        if settings.SMS_BACKEND == "console":
            found.append("SMS_BACKEND is the console (SMS would be printed, not sent); set SMS_BACKEND")
    if serves_pages and _needs_local_manifest(settings.STORAGES["staticfiles"]["BACKEND"]):
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if not manifest.exists():
            found.append(f"no {manifest}: run `manage.py collectstatic --noinput` before starting")
    return found


def _needs_local_manifest(backend: str) -> bool:
    """Hashed names on local disk (WhiteNoise, Django's manifest storage); a remote store keeps its own."""
    from django.contrib.staticfiles.storage import ManifestFilesMixin
    from django.core.files.storage import FileSystemStorage
    from django.utils.module_loading import import_string

    storage = import_string(backend)
    return issubclass(storage, ManifestFilesMixin) and issubclass(storage, FileSystemStorage)


def require_ready(process: str) -> None:
    """Exit with one line naming every problem (set ALLOW_CONSOLE_BACKENDS=true for the console ones)."""
    found = problems(serves_pages=process == "web")
    if found:
        sys.exit(f"booking_platform: {process} refuses to start: " + "; ".join(found))
