"""Fault tests with real processes: a private redis-server we stop, and celery workers we SIGKILL.

They need PostgreSQL (the workers share the test database) and a redis-server binary;
on the SQLite pass they skip, with REQUIRE_SERVICES=1 (CI) their absence fails them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import timedelta

import pytest
import redis

from apps.bookings.actors import Actor
from apps.bookings.notifications.tests.conftest import ADMINS, PHONES
from apps.bookings.services.hold import booking_book
from apps.bookings.tests.factories import Hotel
from apps.bookings.tests.helpers import stay
from booking_platform.events import relay, stream
from booking_platform.events.consumers import register_consumer, unregister_consumer
from booking_platform.events.models import OutboxEvent
from booking_platform.events.testing import RedisServer, child_database_url, redis_server, wait_for, workers
from booking_platform.events.tests.helpers import broker
from booking_platform.notifications.models import Delivery
from booking_platform.notifications.testing import SmsSink, SmtpSink, smtp_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker, pytest.mark.timeout(240)]
STREAM = "booking-events"


@pytest.fixture
def services(require_postgres: None) -> None:
    if not shutil.which("redis-server"):
        reason = "needs the redis-server binary for a throwaway Redis"
        if os.environ.get("REQUIRE_SERVICES", "") in {"1", "true", "yes"}:
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def stream_consumer(settings) -> Iterator[None]:
    """This process decides who gets each event; make sure the stream is one of them."""
    settings.EVENT_STREAM_BACKEND = "redis"
    previous = stream.get_consumer_registration()
    register_consumer(stream.CONSUMER, stream.publish_to_stream, transactional=False)
    yield
    unregister_consumer(stream.CONSUMER)
    if previous is not None:
        register_consumer(previous.name, previous.handler, transactional=False)


def worker_env(server: RedisServer, smtp: SmtpSink, sms_url: str, *, visibility: int = 60) -> dict[str, str]:
    return {
        "DATABASE_URL": child_database_url(),
        "DB_POOL_MAX_SIZE": "4",
        "REDIS_URL": server.url(0),
        "CELERY_BROKER_URL": server.url(1),
        "CELERY_VISIBILITY_TIMEOUT": str(visibility),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "SMS_BACKEND": "http",
        "SMS_API_URL": sms_url,
        "SMS_API_KEY": "fault-key",
        "SMS_FROM": "+4930000000",
        "EVENT_STREAM_BACKEND": "redis",
        "EVENT_STREAM_NAME": STREAM,
        "LOG_FORMAT": "console",
    }


def book(hotel: Hotel, guest, nights: int = 2) -> str:
    booking = booking_book(
        request=stay(hotel, customer_id=guest.pk, nights=nights, rooms=hotel.rooms(1)), actor=Actor.guest(guest.pk)
    )
    return booking.reference


def stream_event_ids(server: RedisServer) -> list[str]:
    client = redis.Redis.from_url(server.url(0))
    return [fields[b"event_id"].decode() for _, fields in client.xrange(STREAM)]


def all_sent(expected: int) -> bool:
    return Delivery.objects.filter(status=Delivery.Status.SENT).count() == expected


def drained(server: RedisServer) -> bool:
    """Nothing queued or in flight on the throwaway broker."""
    client = redis.Redis.from_url(server.url(1))
    return client.llen("default") == 0 and client.llen("notifications") == 0 and client.hlen("unacked") == 0


def test_bookings_succeed_with_redis_down_and_everything_goes_out_once_it_is_back(
    services: None, stream_consumer: None, hotel: Hotel, guest, smtp: SmtpSink, sms: SmsSink
) -> None:
    expected = 2 * (1 + len(ADMINS) + len(PHONES))
    with redis_server() as server, workers(worker_env(server, smtp, sms.url)) as start_worker:
        worker = start_worker()
        server.stop()
        with broker(server.url(1)):
            references = [book(hotel, guest), book(hotel, guest)]  # both commit although the broker is dead
        events = list(OutboxEvent.objects.order_by("id"))
        assert [e.event_type for e in events] == ["booking.confirmed"] * 2
        assert [(e.published_at, e.publish_attempts) for e in events] == [(None, 1)] * 2
        assert Delivery.objects.count() == 0

        server.start()
        try:
            with broker(server.url(1)):
                assert relay.relay_pending().published == 2
            wait_for(lambda: all_sent(expected) and len(stream_event_ids(server)) == 2, timeout=90, what="delivery")
            with broker(server.url(1)):  # a full replay to every consumer, then sweep and reconcile again
                since, until = events[0].occurred_at, events[-1].occurred_at + timedelta(seconds=1)
                relay.replay(since=since, until=until, consumer_names=["notify:bookings", stream.CONSUMER])
                assert relay.relay_pending().published == 0
                wait_for(lambda: drained(server), timeout=30, what="the replay to be consumed")
                assert relay.reconcile(grace=timedelta(seconds=-60), window=timedelta(days=1)) == 0
        except TimeoutError:
            pytest.fail(f"not delivered; worker log:\n{worker.output()[-4000:]}")
        streamed = stream_event_ids(server)

    assert sorted(streamed) == sorted(str(e.event_id) for e in events)
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == Delivery.objects.count() == expected
    for reference in references:
        assert len([m for m in smtp.messages if reference in m["Subject"]]) == 1 + len(ADMINS)
        assert len([r for r in sms.requests if reference in r["json"]["text"]]) == len(PHONES)
    assert len(smtp.messages) == 2 * (1 + len(ADMINS))
    assert len(sms.requests) == 2 * len(PHONES)


@pytest.fixture
def hanging_smtp(settings) -> Iterator[SmtpSink]:
    with smtp_server(hang_rcpt="anna@guest.example") as sink:
        yield sink


def test_a_worker_killed_mid_send_is_redelivered_and_sends_once(
    services: None, stream_consumer: None, hotel: Hotel, guest, hanging_smtp: SmtpSink, sms: SmsSink
) -> None:
    smtp = hanging_smtp
    with redis_server() as server, workers(worker_env(server, smtp, sms.url, visibility=3)) as start_worker:
        first = start_worker()
        with broker(server.url(1)):
            reference = book(hotel, guest)
        try:
            wait_for(smtp.hanging.is_set, timeout=60, what="the guest email to be in flight")
        except TimeoutError:
            pytest.fail(f"never reached the SMTP server; worker log:\n{first.output()[-4000:]}")
        first.kill()
        assert smtp.to("anna@guest.example") == []
        guest_delivery = Delivery.objects.get(recipient="anna@guest.example")
        assert (guest_delivery.status, guest_delivery.attempts) == ("pending", 0)  # the killed attempt rolled back

        second = start_worker()
        expected = 1 + len(ADMINS) + len(PHONES)
        try:
            wait_for(lambda: all_sent(expected), timeout=90, what="redelivery")
        except TimeoutError:
            pytest.fail(f"not redelivered; worker log:\n{second.output()[-4000:]}")

    [guest_mail] = smtp.to("anna@guest.example")
    assert reference in guest_mail["Subject"]
    for admin in ADMINS:
        assert len(smtp.to(admin)) == 1
    assert len(sms.requests) == len(PHONES)
    guest_delivery.refresh_from_db()
    assert (guest_delivery.status, guest_delivery.attempts, guest_delivery.last_error) == ("sent", 1, "")
