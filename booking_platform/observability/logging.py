"""Log records as operators read them: JSON lines (UTC ISO-8601 times) or a console line with the extras."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

from booking_platform.observability.context import current_request_id

# Attributes every LogRecord has; anything else on a record came from ``extra=`` and is worth showing.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}


def utc_iso(created: float) -> str:
    """``2026-12-01T13:15:19.484Z``: one zone everywhere, sortable, parseable by any log store."""
    return datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class RequestIdFilter(logging.Filter):
    """Stamp every record with the current request id so logs can be joined up."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id()
        return True


class DisallowedHostFilter(logging.Filter):
    """A wrong Host header is a client's mistake or a scanner: one WARNING line, no traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


class JsonFormatter(_BaseJsonFormatter):
    """python-json-logger with ``time`` (UTC ISO-8601), ``level``, ``logger``, ``message``, ``request_id``."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        super().__init__(*args, **kwargs)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return utc_iso(record.created)


class ConsoleFormatter(logging.Formatter):
    """One readable line for a terminal, ending in the record's extra fields as ``key=value``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s [%(request_id)s] %(name)s: %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return utc_iso(record.created)

    def formatMessage(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = "-"
        line = super().formatMessage(record)
        extras = [f"{key}={value!r}" for key, value in vars(record).items() if key not in _STANDARD]
        return f"{line} {' '.join(extras)}" if extras else line
