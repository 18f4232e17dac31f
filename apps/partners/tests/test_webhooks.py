"""Webhooks against a local HTTP receiver: signed, retried with backoff, switched off after 410 or a run of failures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.partners.delivery import backoff, deliveries_send_due
from apps.partners.models import Webhook, WebhookDelivery
from apps.partners.tests.conftest import idem
from apps.partners.tests.helpers import stay_body
from apps.partners.tests.receiver import Receiver, verify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _local_urls(settings) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True  # the receiver listens on 127.0.0.1


def _register(partner, receiver: Receiver, event_types: list[str] | None = None) -> dict:
    body = {"url": receiver.url, "event_types": event_types or []}
    created = partner.client.post("/api/v1/webhooks/", body, format="json", **idem())
    assert created.status_code == 201, created.content
    receiver.secret = created.json()["secret"]
    return created.json()


def _book(partner, hotel, capture) -> str:
    """A hold, then its confirmation: two events (booking.held, booking.confirmed) for the webhooks."""
    with capture(execute=True):
        held = partner.client.post("/api/v1/holds/", stay_body(hotel), format="json", **idem())
        assert held.status_code == 201, held.content
        body = {"hold": held.json()["reference"]}
        response = partner.client.post("/api/v1/bookings/", body, format="json", **idem())
    assert response.status_code == 201, response.content
    return response.json()["reference"]


def test_events_arrive_signed_once_each(partner, hotel, django_capture_on_commit_callbacks) -> None:
    with Receiver() as receiver:
        hook = _register(partner, receiver)
        reference = _book(partner, hotel, django_capture_on_commit_callbacks)
    assert [(r["body"]["event_type"], r["valid"], r["duplicate"]) for r in receiver.received] == [
        ("booking.held", True, False),
        ("booking.confirmed", True, False),
    ]
    first = receiver.received[0]["body"]
    assert first["booking_reference"] == reference
    assert first["payload"]["partner_id"] == partner.partner.pk
    assert receiver.received[0]["event_id"] == first["event_id"]
    deliveries = partner.client.get(f"/api/v1/webhooks/{hook['id']}/deliveries/").json()["results"]
    assert [(d["event_type"], d["state"], d["attempts"], d["last_status_code"]) for d in deliveries] == [
        ("booking.confirmed", "delivered", 1, 200),
        ("booking.held", "delivered", 1, 200),
    ]


def test_only_subscribed_types_and_only_the_owner(partner, other_partner, hotel, django_capture_on_commit_callbacks):
    with Receiver() as mine, Receiver() as theirs:
        _register(partner, mine, ["booking.confirmed"])
        _register(other_partner, theirs)
        _book(partner, hotel, django_capture_on_commit_callbacks)
    assert [r["body"]["event_type"] for r in mine.received] == ["booking.confirmed"]
    assert theirs.received == []


def test_a_tampered_body_or_old_timestamp_fails_verification() -> None:
    import hashlib
    import hmac

    body = b'{"a":1}'
    t = "1700000000"
    mac = hmac.new(b"s3cret", t.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert verify(secret="s3cret", header=f"t={t},v1={mac}", body=body, now=1700000000)
    assert not verify(secret="s3cret", header=f"t={t},v1={mac}", body=b'{"a":2}', now=1700000000)
    assert not verify(secret="other", header=f"t={t},v1={mac}", body=body, now=1700000000)
    assert not verify(secret="s3cret", header=f"t={t},v1={mac}", body=body, now=1700000000 + 301)


def test_failures_are_retried_with_backoff_then_delivered(partner, hotel, django_capture_on_commit_callbacks) -> None:
    with Receiver(answers=[500, 503, 200]) as receiver:
        _register(partner, receiver, ["booking.held"])
        with django_capture_on_commit_callbacks(execute=True):
            partner.client.post("/api/v1/holds/", stay_body(hotel), format="json", **idem())
        delivery = WebhookDelivery.objects.get()
        assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
        first_wait = delivery.next_attempt_at - timezone.now()
        assert timedelta(seconds=25) < first_wait <= timedelta(seconds=30)
        assert deliveries_send_due() == 0  # not due yet: nothing is sent early
        WebhookDelivery.objects.update(next_attempt_at=timezone.now())
        assert deliveries_send_due() == 1
        delivery.refresh_from_db()
        assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("pending", 2, 503)
        assert timedelta(seconds=55) < delivery.next_attempt_at - timezone.now() <= timedelta(seconds=60)
        WebhookDelivery.objects.update(next_attempt_at=timezone.now())
        deliveries_send_due()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 200)
    assert [r["status"] for r in receiver.received] == [500, 503, 200]
    assert Webhook.objects.get().consecutive_failures == 0


def test_backoff_doubles_up_to_two_hours() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4, 10, 20)] == [30, 60, 120, 240, 7200, 7200]


def test_retries_stop_after_the_retry_window(partner, hotel, django_capture_on_commit_callbacks, settings) -> None:
    with Receiver(answers=[500]) as receiver:
        _register(partner, receiver, ["booking.held"])
        with django_capture_on_commit_callbacks(execute=True):
            partner.client.post("/api/v1/holds/", stay_body(hotel), format="json", **idem())
        WebhookDelivery.objects.update(
            created_at=timezone.now() - timedelta(hours=settings.WEBHOOKS_RETRY_HOURS), next_attempt_at=timezone.now()
        )
        deliveries_send_due()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == ("failed", 2, None)
    assert Webhook.objects.get().is_active is True  # two failures are not yet a run


def test_410_gone_switches_the_webhook_off(partner, hotel, django_capture_on_commit_callbacks) -> None:
    with Receiver(answers=[410]) as receiver:
        hook = _register(partner, receiver)
        _book(partner, hotel, django_capture_on_commit_callbacks)
    webhook = Webhook.objects.get(pk=hook["id"])
    assert (webhook.is_active, webhook.disabled_reason) == (False, "410 Gone")
    assert len(receiver.received) == 1  # the confirmed event is not sent to a webhook that is gone
    assert sorted(WebhookDelivery.objects.values_list("state", flat=True)) == ["failed", "failed"]
    shown = partner.client.get(f"/api/v1/webhooks/{hook['id']}/").json()
    assert (shown["is_active"], shown["disabled_reason"]) == (False, "410 Gone")


def test_a_run_of_failures_switches_the_webhook_off(partner, hotel, django_capture_on_commit_callbacks, settings):
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 3
    with Receiver(answers=[500]) as receiver:
        _register(partner, receiver, ["booking.held"])
        with django_capture_on_commit_callbacks(execute=True):
            partner.client.post("/api/v1/holds/", stay_body(hotel), format="json", **idem())
        for _ in range(3):
            WebhookDelivery.objects.filter(state="pending").update(next_attempt_at=timezone.now())
            deliveries_send_due()
    webhook = Webhook.objects.get()
    assert (webhook.is_active, webhook.consecutive_failures) == (False, 3)
    assert webhook.disabled_reason == "3 failed attempts in a row"
    assert len(receiver.received) == 3
    assert WebhookDelivery.objects.get().state == "failed"


def test_redirects_are_not_followed_and_count_as_failures(partner, hotel, django_capture_on_commit_callbacks) -> None:
    with Receiver(answers=[302]) as receiver:
        _register(partner, receiver, ["booking.held"])
        with django_capture_on_commit_callbacks(execute=True):
            partner.client.post("/api/v1/holds/", stay_body(hotel), format="json", **idem())
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.last_status_code) == ("pending", 302)


def test_private_addresses_are_refused_unless_allowed(partner, settings) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    for url in ("http://example.com/h", "https://127.0.0.1/h", "https://10.0.0.8/h", "ftp://example.com/h"):
        response = partner.client.post("/api/v1/webhooks/", {"url": url}, format="json", **idem())
        assert response.status_code == 400, url
        assert response.json()["errors"][0]["field"] == "url"
    assert Webhook.objects.count() == 0
