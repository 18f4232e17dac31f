"""Rate limits: per partner (its own setting or API_PARTNER_RATE_PER_MINUTE), per client IP otherwise.

A fixed one-minute window counted with INCR in Redis when API_RATELIMIT_REDIS_URL (or REDIS_URL) is set,
so every web process shares the count; in the process's memory otherwise. The limiter never takes the
API down: if Redis cannot be reached the request is let through and the failure is logged.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from typing import Any

import redis
from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from apps.partners.models import Partner

logger = logging.getLogger(__name__)
WINDOW_SECONDS = 60

_memory: dict[str, int] = {}
_memory_lock = threading.Lock()


@functools.lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    # Short timeouts: a slow or dead Redis must cost a request milliseconds, not seconds.
    return redis.Redis.from_url(url, socket_timeout=0.25, socket_connect_timeout=0.25, retry_on_timeout=False)


def hit(key: str) -> int | None:
    """Count one request in the current window; None if the shared counter is unreachable."""
    url = settings.API_RATELIMIT_REDIS_URL
    if not url:
        with _memory_lock:
            if len(_memory) > 10_000:
                _memory.clear()
            _memory[key] = _memory.get(key, 0) + 1
            return _memory[key]
    try:
        pipe = _client(url).pipeline()
        pipe.incr(key)
        pipe.expire(key, WINDOW_SECONDS + 5)
        count, _ = pipe.execute()
        return int(count)
    except (redis.RedisError, OSError) as exc:
        logger.warning("rate limiter unavailable, request allowed", extra={"error": str(exc)[:200]})
        return None


class PartnerRateThrottle(BaseThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        self._wait = WINDOW_SECONDS - (now % WINDOW_SECONDS)
        partner = getattr(request, "user", None)
        if isinstance(partner, Partner):
            who, limit = f"p{partner.pk}", partner.rate_limit_per_minute or settings.API_PARTNER_RATE_PER_MINUTE
        else:
            who, limit = f"ip{request.META.get('REMOTE_ADDR', '')}", settings.API_ANON_RATE_PER_MINUTE
        count = hit(f"bp:ratelimit:{who}:{window}")
        return count is None or count <= limit

    def wait(self) -> float:
        return self._wait
