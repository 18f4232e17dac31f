import pytest
from django.db import transaction

from booking_platform.events import relay
from booking_platform.events.consumers import Outcome, consume
from booking_platform.events.models import OutboxEvent, ProcessedEvent
from booking_platform.events.outbox import emit
from booking_platform.events.tests.helpers import DEAD_BROKER, broker, emit_committed, recording

pytestmark = pytest.mark.django_db(transaction=True)


def test_commit_publishes_and_the_consumer_runs_once() -> None:
    with recording() as (recorder, consumer):
        event = emit_committed("test.one", "AGG-1")
        event.refresh_from_db()
        assert event.published_at is not None
        assert event.publish_attempts == 1
        assert recorder.seen == [("AGG-1", "test.one")]
        assert ProcessedEvent.objects.filter(consumer=consumer.name, event_id=event.event_id).count() == 1


def _emit_then_fail() -> None:
    with transaction.atomic():
        emit(event_type="test.one", aggregate_type="test", aggregate_id="AGG-1", payload={})
        1 / 0  # noqa: B018


def test_rolled_back_transaction_publishes_nothing() -> None:
    with recording() as (recorder, _):
        with pytest.raises(ZeroDivisionError):
            _emit_then_fail()
        assert OutboxEvent.objects.count() == 0
        assert recorder.seen == []


def test_broker_down_commit_still_succeeds_and_the_sweeper_publishes_later() -> None:
    with recording() as (recorder, _):
        with broker(DEAD_BROKER):
            event = emit_committed("test.one", "AGG-1")
        event.refresh_from_db()
        assert event.published_at is None
        assert event.publish_attempts == 1
        assert "OperationalError" in event.last_error or "Connection" in event.last_error
        assert recorder.seen == []

        result = relay.relay_pending()

        event.refresh_from_db()
        assert (result.published, result.failed) == (1, 0)
        assert event.published_at is not None
        assert event.last_error == ""
        assert recorder.seen == [("AGG-1", "test.one")]


def test_sweeper_goes_oldest_first_and_stops_at_the_first_failure() -> None:
    with recording() as (recorder, _):
        with broker(DEAD_BROKER):
            first = emit_committed("test.one", "AGG-1")
            second = emit_committed("test.one", "AGG-2")
            result = relay.relay_pending()
        assert (result.published, result.failed) == (0, 1)
        first.refresh_from_db()
        second.refresh_from_db()
        assert (first.publish_attempts, second.publish_attempts) == (2, 1)  # fast path + sweep; fast path only
        assert result.oldest_unpublished_age > 0
        assert recorder.seen == []

        assert relay.relay_pending().published == 2
        assert recorder.seen == [("AGG-1", "test.one"), ("AGG-2", "test.one")]
        assert relay.relay_pending().published == 0


def test_a_second_delivery_of_the_same_event_is_a_no_op() -> None:
    with recording() as (recorder, consumer):
        event = emit_committed("test.one", "AGG-1")
        assert consume(consumer, event.pk) == Outcome.DUPLICATE
        assert recorder.seen == [("AGG-1", "test.one")]
        assert ProcessedEvent.objects.filter(consumer=consumer.name).count() == 1


def test_events_of_one_aggregate_are_handled_in_order() -> None:
    with broker(DEAD_BROKER):  # keep both unpublished so we can deliver them out of order
        first = emit_committed("test.one", "AGG-1")
        second = emit_committed("test.two", "AGG-1")
        other = emit_committed("test.two", "AGG-2")
    with recording() as (recorder, consumer):
        assert consume(consumer, second.pk) == Outcome.DEFERRED
        assert consume(consumer, other.pk) == Outcome.DONE  # another booking is not held up
        assert recorder.seen == [("AGG-2", "test.two")]
        assert consume(consumer, first.pk) == Outcome.DONE
        assert consume(consumer, second.pk) == Outcome.DONE
        assert recorder.seen == [("AGG-2", "test.two"), ("AGG-1", "test.one"), ("AGG-1", "test.two")]


def test_a_failing_transactional_handler_leaves_no_marker_and_is_retried_by_reconcile() -> None:
    from datetime import timedelta

    with recording() as (recorder, consumer):
        recorder.fail_on = {"test.one"}
        event = emit_committed("test.one", "AGG-1")
        event.refresh_from_db()
        assert event.published_at is not None
        assert not ProcessedEvent.objects.filter(consumer=consumer.name).exists()
        assert recorder.seen == []

        recorder.fail_on = set()
        assert relay.reconcile(grace=timedelta(seconds=-60), window=timedelta(days=1)) == 1
        assert recorder.seen == [("AGG-1", "test.one")]
        assert relay.reconcile(grace=timedelta(seconds=-60), window=timedelta(days=1)) == 0


def test_a_non_transactional_consumer_marks_after_its_side_effect() -> None:
    with recording(transactional=False) as (recorder, consumer):
        recorder.fail_on = {"test.one"}
        event = emit_committed("test.one", "AGG-1")
        assert not ProcessedEvent.objects.filter(consumer=consumer.name).exists()
        recorder.fail_on = set()
        assert consume(consumer, event.pk) == Outcome.DONE
        assert consume(consumer, event.pk) == Outcome.DUPLICATE
        assert recorder.seen == [("AGG-1", "test.one")]


def test_publish_one_skips_a_missing_or_published_event() -> None:
    with recording() as (recorder, _):
        event = emit_committed("test.one", "AGG-1")
        assert relay.publish_one(event.pk) is False
        assert relay.publish_one(10**9) is False
        assert recorder.seen == [("AGG-1", "test.one")]


def test_a_row_locked_by_another_sweeper_is_skipped(require_postgres: None) -> None:
    import threading

    with broker(DEAD_BROKER):
        event = emit_committed("test.one", "AGG-1")
    locked, done = threading.Event(), threading.Event()

    def hold_lock() -> None:
        from django.db import connection

        try:
            with transaction.atomic():
                list(OutboxEvent.objects.select_for_update().filter(pk=event.pk))
                locked.set()
                done.wait(10)
        finally:
            connection.close()

    with recording() as (recorder, _):
        holder = threading.Thread(target=hold_lock)
        holder.start()
        try:
            assert locked.wait(10)
            assert relay.publish_one(event.pk) is False
            assert relay.relay_pending().published == 0
        finally:
            done.set()
            holder.join(10)
        assert recorder.seen == []
        assert relay.relay_pending().published == 1
        assert recorder.seen == [("AGG-1", "test.one")]


def test_two_sweepers_at_once_publish_each_event_once(require_postgres: None) -> None:
    import threading

    from django.db import connection

    with broker(DEAD_BROKER):
        events = [emit_committed("test.one", f"AGG-{i}") for i in range(30)]
    start = threading.Barrier(2)
    results: list[relay.SweepResult] = []

    def sweeper() -> None:
        try:
            start.wait(10)
            results.append(relay.relay_pending())
        finally:
            connection.close()

    with recording() as (recorder, _):
        threads = [threading.Thread(target=sweeper) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert sum(r.published for r in results) == 30
        assert sorted(recorder.seen) == sorted((f"AGG-{i}", "test.one") for i in range(30))
    attempts = OutboxEvent.objects.filter(pk__in=[e.pk for e in events]).values_list("publish_attempts", flat=True)
    assert sorted(set(attempts)) == [2]  # the failed fast path, then exactly one sweep
