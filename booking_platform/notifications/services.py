"""Plan, send and forget deliveries. Sending holds the Delivery row lock, so a
redelivered or concurrent task waits and then finds the row already ``sent``."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail.utils import DNS_NAME
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from booking_platform.events.models import OutboxEvent
from booking_platform.events.types import Event
from booking_platform.notifications import channels
from booking_platform.notifications.models import Delivery
from booking_platform.notifications.registry import EmailMessage, Planned, SmsMessage, render
from booking_platform.observability import metrics

logger = logging.getLogger(__name__)


class Outcome:
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"


def normalise(channel: str, address: str) -> str:
    address = address.strip()
    return address.lower() if channel == Delivery.Channel.EMAIL else address.replace(" ", "")


def plan_deliveries(event: Event, planned: list[Planned]) -> list[int]:
    """Create one pending Delivery per (recipient, channel) and enqueue its send after commit."""
    created: list[int] = []
    seen: set[tuple[str, str]] = set()
    for item in planned:
        recipient = normalise(item.channel, item.recipient)
        if not recipient or (recipient, item.channel) in seen:
            continue
        seen.add((recipient, item.channel))
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(
                    event_id=event.event_id,
                    channel=item.channel,
                    recipient=recipient,
                    kind=item.kind,
                    next_attempt_at=timezone.now(),
                )
        except IntegrityError:
            continue  # planned before: each (event, recipient, channel) is owed once
        created.append(delivery.pk)
    if created:
        transaction.on_commit(lambda: enqueue_sends(created), robust=True)
    return created


def enqueue_sends(delivery_ids: list[int]) -> None:
    """Hand sends to the notifications queue; a refused enqueue is picked up by ``rescue_pending``."""
    from booking_platform.notifications.tasks import send_delivery_task

    for pk in delivery_ids:
        try:
            send_delivery_task.apply_async(args=[pk], retry=False)
        except Exception as exc:  # noqa: BLE001 - the rescue sweep retries later
            logger.warning("could not enqueue delivery", extra={"delivery_id": pk, "error": str(exc)[:200]})


def _transmit(delivery: Delivery, event: Event) -> None:
    message = render(delivery.kind, event, delivery.recipient)
    key = f"delivery-{delivery.pk}-{delivery.event_id}"
    if delivery.channel == Delivery.Channel.EMAIL and isinstance(message, EmailMessage):
        channels.send_email(message, delivery.recipient, headers={"Message-ID": f"<{key}@{DNS_NAME}>"})
    elif delivery.channel == Delivery.Channel.SMS and isinstance(message, SmsMessage):
        channels.sms_backend().send(message, delivery.recipient, idempotency_key=key)
    else:
        raise channels.PermanentDeliveryError(f"renderer {delivery.kind!r} does not fit channel {delivery.channel!r}")


def describe_failure(exc: BaseException, delivery: Delivery) -> str:
    """The error as stored in ``last_error`` and logged: codes and ids, never the message's words.

    A renderer's or the database's own text can quote the guest (a header with their name, a
    key with their address); only the channels' DeliveryError texts are ours and free of it.
    """
    if isinstance(exc, channels.DeliveryError):
        return f"{type(exc).__name__}: {exc}"[:2000]
    return f"{type(exc).__name__} while sending {delivery.kind} (delivery {delivery.pk})"


def _attempt(delivery: Delivery) -> tuple[str, str]:
    """Try once; return (outcome, error). Database trouble is retryable, anything else final."""
    row = OutboxEvent.objects.filter(event_id=delivery.event_id).first()
    if row is None:
        return Outcome.FAILED, "event no longer in the outbox"
    try:
        with transaction.atomic():
            _transmit(delivery, Event.from_row(row))
    except (channels.RetryableDeliveryError, DatabaseError) as exc:
        return Outcome.RETRY, describe_failure(exc, delivery)
    except Exception as exc:  # noqa: BLE001 - a broken renderer must end visibly failed, not loop
        return Outcome.FAILED, describe_failure(exc, delivery)
    return Outcome.SENT, ""


def send_delivery(delivery_id: int, *, last_try: bool, retry_in: int = 0) -> str:
    """Send one pending delivery at most once; record the attempt and its error."""
    with transaction.atomic():
        rows = list(Delivery.objects.select_for_update().filter(pk=delivery_id))
        if not rows or rows[0].status != Delivery.Status.PENDING:
            return Outcome.SKIPPED
        delivery = rows[0]
        outcome, error = _attempt(delivery)
        now = timezone.now()
        delivery.attempts += 1
        delivery.last_error = error
        if outcome == Outcome.SENT:
            delivery.status, delivery.sent_at, delivery.next_attempt_at = Delivery.Status.SENT, now, None
        elif outcome == Outcome.RETRY and not last_try:
            delivery.next_attempt_at = now + timedelta(seconds=retry_in)
        else:
            outcome = Outcome.FAILED
            delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
        delivery.save(update_fields=["status", "attempts", "last_error", "sent_at", "next_attempt_at"])
    metrics.NOTIFICATIONS.labels(delivery.channel, outcome).inc()
    log = logger.info if outcome == Outcome.SENT else logger.warning
    log(
        "notification " + outcome,
        extra={"delivery_id": delivery.pk, "channel": delivery.channel, "kind": delivery.kind, "error": error},
    )
    return outcome


def rescue_pending(*, limit: int = 500) -> int:
    """Re-enqueue pending deliveries long overdue (their message was lost or never enqueued)."""
    cutoff = timezone.now() - timedelta(seconds=settings.NOTIFICATIONS_RESCUE_AFTER_SECONDS)
    ids = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lt=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    if ids:
        logger.warning("rescuing overdue deliveries", extra={"count": len(ids)})
        enqueue_sends(ids)
    return len(ids)


def retry_failed(*, ids: list[int]) -> int:
    """Staff's second chance: failed (not erased) deliveries go back to pending and are enqueued."""
    retry = list(
        Delivery.objects.filter(id__in=ids, status=Delivery.Status.FAILED)
        .exclude(recipient__startswith="erased:")
        .values_list("id", flat=True)
    )
    Delivery.objects.filter(id__in=retry).update(status=Delivery.Status.PENDING, next_attempt_at=timezone.now())
    transaction.on_commit(lambda: enqueue_sends(retry), robust=True)
    return len(retry)


def forget_recipient(address: str) -> int:
    """Erasure: scrub an email address or phone number from every Delivery; unsent ones are cancelled.

    Returns how many rows were scrubbed. The rows stay (counts and states are not personal data).
    """
    candidates = {normalise(Delivery.Channel.EMAIL, address), normalise(Delivery.Channel.SMS, address)} - {""}
    for candidate in candidates:  # another delivery's error may quote this address (staff mail about the guest)
        Delivery.objects.filter(last_error__icontains=candidate).update(last_error="[erased]")
    ids = list(Delivery.objects.filter(recipient__in=candidates).values_list("id", flat=True))
    for pk in ids:
        with transaction.atomic():
            Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING).update(
                status=Delivery.Status.FAILED, next_attempt_at=None, last_error="recipient erased before sending"
            )
            Delivery.objects.filter(pk=pk).update(recipient=f"erased:{pk}")
            Delivery.objects.filter(pk=pk).exclude(last_error="").exclude(
                last_error="recipient erased before sending"
            ).update(last_error="[erased]")
    if ids:
        logger.info("recipient forgotten", extra={"deliveries": len(ids)})
    return len(ids)


def purge_deliveries(*, older_than: timedelta) -> int:
    """Retention: finished deliveries older than the cutoff go (the address with them)."""
    cutoff = timezone.now() - older_than
    ids = list(
        Delivery.objects.filter(created_at__lt=cutoff)
        .exclude(status=Delivery.Status.PENDING)
        .values_list("id", flat=True)[:10000]
    )
    Delivery.objects.filter(id__in=ids).delete()
    return len(ids)
