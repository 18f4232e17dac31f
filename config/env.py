"""Environment reading: one ``environ.Env`` that also reads ``<NAME>_FILE``.

Kept apart from settings so the parsing rules can be tested with any mapping.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from typing import Any

import environ
from environ.fileaware_mapping import FileAwareMapping


class ConfigurationError(Exception):
    """The environment asks for something that cannot work; start-up stops with this one line."""


class MissingVariable(ConfigurationError):
    """A required environment variable is not set, or its ``_FILE`` is unreadable."""


class _StrippedFileMapping(FileAwareMapping):
    """Mounted secrets usually end in a newline; a URL or key must not."""

    def __getitem__(self, key: str) -> str:
        try:
            return super().__getitem__(key).strip()
        except OSError as exc:
            path = self.env.get(f"{key}_FILE")
            raise MissingVariable(f"{key}_FILE points at {path!r}, which cannot be read") from exc


class Env(environ.Env):
    """django-environ's reader over a ``_FILE``-aware mapping, with one-line errors."""

    def __init__(self, source: Mapping[str, str] | MutableMapping[str, str] | None = None, **scheme: Any) -> None:
        super().__init__(**scheme)
        self.ENVIRON = _StrippedFileMapping(env=source if source is not None else os.environ)

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        try:
            return super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        except environ.ImproperlyConfigured as exc:
            raise MissingVariable(_missing(var)) from exc

    def required(self, var: str, *, when: bool = True) -> str:
        """Return ``var``; while ``when`` holds it must be set and non-empty."""
        value = self.str(var, default="")
        if when and not value:
            raise MissingVariable(_missing(var))
        return value


def _missing(var: str) -> str:
    return f"{var} is not set (set it, or {var}_FILE to the path of a file that holds it)"
