"""Sending through a real SMTP server (aiosmtpd) and a real local HTTP SMS provider."""

from collections.abc import Iterator

import pytest

from booking_platform.events.consumers import Outcome as ConsumeOutcome
from booking_platform.events.consumers import consume, get_consumer
from booking_platform.events.tests.helpers import emit_committed
from booking_platform.notifications import services
from booking_platform.notifications.models import Delivery
from booking_platform.notifications.testing import (
    SMTP_BACKEND,
    SmsSink,
    SmtpSink,
    free_port,
    sms_delivery,
    smtp_delivery,
)
from booking_platform.notifications.tests.helpers import NOTIFIER, notifier_registered

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def smtp(settings) -> Iterator[SmtpSink]:
    with smtp_delivery(settings) as sink:
        yield sink


@pytest.fixture
def sms(settings) -> Iterator[SmsSink]:
    with sms_delivery(settings, api_key="key-123", sender="+15550000000") as sink:
        yield sink


@pytest.fixture(autouse=True)
def _notifier() -> Iterator[None]:
    with notifier_registered():
        yield


def notify(**payload: object):
    return emit_committed("test.notify", "AGG-1", **payload)


def by_recipient() -> dict[str, tuple[str, int, str]]:
    return {d.recipient: (d.status, d.attempts, d.last_error) for d in Delivery.objects.all()}


def test_each_recipient_gets_exactly_one_message(smtp: SmtpSink, sms: SmsSink) -> None:
    event = notify(emails=["a@example.com", "B@Example.com", "a@example.com"], phones=["+4915112345678"])

    assert sorted(to for _, rcpts in smtp.envelopes for to in rcpts) == ["a@example.com", "b@example.com"]
    message = smtp.to("a@example.com")[0]
    assert message["Subject"] == "About AGG-1"
    assert message.get_body(("html",)).get_content().strip() == "<p>Hello</p>"
    assert message["Message-ID"].startswith("<delivery-")
    assert len(sms.requests) == 1
    request = sms.requests[0]
    assert request["json"] == {"from": "+15550000000", "to": "+4915112345678", "text": "test.notify AGG-1"}
    assert request["headers"]["Authorization"] == "Bearer key-123"
    assert request["headers"]["Idempotency-Key"].startswith("delivery-")
    assert request["path"] == "/v1/messages"
    assert by_recipient() == {
        "a@example.com": ("sent", 1, ""),
        "b@example.com": ("sent", 1, ""),
        "+4915112345678": ("sent", 1, ""),
    }

    # redelivery of the event and of each send task changes nothing
    assert consume(get_consumer(f"notify:{NOTIFIER}"), event.pk) == ConsumeOutcome.DUPLICATE
    for delivery in Delivery.objects.all():
        assert services.send_delivery(delivery.pk, last_try=False) == services.Outcome.SKIPPED
    assert len(smtp.messages) == 2
    assert len(sms.requests) == 1
    assert Delivery.objects.count() == 3


def test_a_refused_recipient_fails_alone_and_finally(smtp: SmtpSink, sms: SmsSink) -> None:
    smtp.refuse = {"bad@example.com"}
    notify(emails=["bad@example.com", "good@example.com"], phones=["+4915112345678"])

    assert [rcpts for _, rcpts in smtp.envelopes] == [["good@example.com"]]
    assert len(sms.accepted()) == 1
    assert by_recipient()["bad@example.com"] == ("failed", 1, "PermanentDeliveryError: recipient refused: 550")
    assert by_recipient()["good@example.com"] == ("sent", 1, "")


def test_a_greylisted_recipient_is_retried(settings, smtp: SmtpSink) -> None:
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    smtp.greylist = {"grey@example.com": 1}
    notify(emails=["grey@example.com"])
    assert [rcpts for _, rcpts in smtp.envelopes] == [["grey@example.com"]]
    assert by_recipient()["grey@example.com"] == ("sent", 2, "")


def test_a_retryable_sms_error_is_retried_until_it_succeeds(settings, smtp: SmtpSink, sms: SmsSink) -> None:
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 4
    sms.statuses = [503, 429]
    notify(phones=["+4915112345678"])

    assert [r["status"] for r in sms.requests] == [503, 429, 200]
    status, attempts, error = by_recipient()["+4915112345678"]
    assert (status, attempts, error) == ("sent", 3, "")


def test_retries_end_in_a_visible_failed_state(settings, sms: SmsSink) -> None:
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    sms.statuses = [503, 503, 503, 503]
    notify(phones=["+4915112345678"])

    assert [r["status"] for r in sms.requests] == [503, 503, 503]
    assert by_recipient()["+4915112345678"] == ("failed", 3, "RetryableDeliveryError: HTTP 503 from SMS provider")


def test_a_client_error_from_the_provider_is_not_retried(sms: SmsSink) -> None:
    sms.statuses = [400]
    notify(phones=["+4915112345678"])
    assert len(sms.requests) == 1
    assert by_recipient()["+4915112345678"] == ("failed", 1, "PermanentDeliveryError: HTTP 400 from SMS provider")


def test_smtp_unreachable_is_retried_then_failed(settings) -> None:
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = SMTP_BACKEND, "127.0.0.1", free_port()
    notify(emails=["a@example.com"])
    status, attempts, error = by_recipient()["a@example.com"]
    assert (status, attempts) == ("failed", 2)
    assert error.startswith("RetryableDeliveryError: ConnectionRefusedError")


def test_console_sms_prints_the_message(capsys: pytest.CaptureFixture[str]) -> None:
    notify(phones=["+4915112345678"])
    assert "SMS to +4915112345678" in capsys.readouterr().out
    assert by_recipient() == {"+4915112345678": ("sent", 1, "")}


def test_rescue_sends_a_delivery_whose_task_was_lost(settings, smtp: SmtpSink) -> None:
    from datetime import timedelta

    from django.utils import timezone

    event = notify()
    Delivery.objects.create(
        event_id=event.event_id,
        channel="email",
        recipient="late@example.com",
        kind="test.email",
        next_attempt_at=timezone.now() - timedelta(hours=1),
    )
    assert services.rescue_pending() == 1
    assert [rcpts for _, rcpts in smtp.envelopes] == [["late@example.com"]]
    assert services.rescue_pending() == 0


def test_a_broken_renderer_fails_its_delivery_visibly_and_alone(smtp: SmtpSink, sms: SmsSink) -> None:
    from booking_platform.notifications import registry

    def broken(event, recipient):
        raise ValueError("Header values can't contain newlines (got 'Booking for Jane Doe\\r\\nBcc: x@y.example')")

    registry.register_renderer("test.sms", broken)
    try:
        notify(emails=["a@example.com"], phones=["+4915112345678"])
    finally:
        from booking_platform.notifications.tests.helpers import render_sms

        registry.register_renderer("test.sms", render_sms)
    failed = Delivery.objects.get(recipient="+4915112345678")
    assert by_recipient() == {
        "a@example.com": ("sent", 1, ""),
        "+4915112345678": ("failed", 1, f"ValueError while sending test.sms (delivery {failed.pk})"),
    }
    assert sms.requests == []


def test_failure_logs_and_errors_carry_ids_not_the_guests_words(smtp: SmtpSink, sms: SmsSink, caplog) -> None:
    """A renderer's error text quoting the guest (a CR/LF in a name) is neither stored nor logged."""
    from booking_platform.notifications import registry
    from booking_platform.notifications.tests.helpers import render_sms

    def quoting(event, recipient):
        raise ValueError("Header values can't contain newlines (got 'Booking for Jane Doe')")

    registry.register_renderer("test.sms", quoting)
    try:
        with caplog.at_level("INFO", logger="booking_platform.notifications"):
            notify(emails=["a@example.com"], phones=["+4915112345678"])
    finally:
        registry.register_renderer("test.sms", render_sms)
    failed = Delivery.objects.get(recipient="+4915112345678")
    assert failed.last_error == f"ValueError while sending test.sms (delivery {failed.pk})"
    logged = [r for r in caplog.records if r.getMessage() == "notification failed"]
    assert [(r.delivery_id, r.error) for r in logged] == [(failed.pk, failed.last_error)]
    assert "Jane" not in caplog.text
