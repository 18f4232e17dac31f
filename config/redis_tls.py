"""Redis over TLS (``rediss://``), as OCI Cache serves it: always verify the server.

redis-py reads ``ssl_*`` options from the URL query, so one rewritten ``REDIS_URL`` carries
the CA to every client built from it (cache, event stream). Celery's broker does not read
them from the URL and kombu falls back to *no* verification for a bare ``rediss://``, so the
broker gets explicit ``broker_use_ssl`` options instead.
"""

from __future__ import annotations

import ssl
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


def is_tls(url: str) -> bool:
    return url.startswith("rediss://")


def redis_url_with_ca(url: str, *, ca_file: str = "") -> str:
    """``url`` with certificate checks required and, when given, the CA bundle to trust."""
    if not is_tls(url):
        return url
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.setdefault("ssl_cert_reqs", "required")
    if ca_file:
        query.setdefault("ssl_ca_certs", ca_file)
    return urlunsplit(parts._replace(query=urlencode(query)))


def broker_ssl_options(url: str, *, ca_file: str = "") -> dict[str, Any] | None:
    """Celery ``broker_use_ssl`` for a ``rediss://`` broker (None for plain Redis or memory)."""
    if not is_tls(url):
        return None
    return {"ssl_cert_reqs": ssl.CERT_REQUIRED, "ssl_ca_certs": ca_file or None}
