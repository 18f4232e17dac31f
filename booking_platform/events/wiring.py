"""Hook the relay's fast path into emit() and register the kernel's own consumers."""

from __future__ import annotations

import logging

from django.conf import settings

from booking_platform.events import outbox, relay
from booking_platform.events.consumers import register_consumer

logger = logging.getLogger(__name__)
_wired = False


def schedule_relay(event_pk: int) -> None:
    """After commit: ask a worker to publish; if the broker is down, the sweeper will."""
    from booking_platform.events.tasks import relay_event

    try:
        relay_event.apply_async(args=[event_pk], retry=False)
    except Exception as exc:  # noqa: BLE001 - the booking is committed; never fail it for the broker
        relay._record_failure(event_pk, exc)


def wire() -> None:
    """Called once from the kernel's AppConfig.ready()."""
    global _wired
    if _wired:
        return
    _wired = True
    outbox.on_event_committed(schedule_relay)
    from booking_platform.events import stream

    if stream.backend_name(settings) != "none":
        register_consumer(stream.CONSUMER, stream.publish_to_stream, transactional=False)
