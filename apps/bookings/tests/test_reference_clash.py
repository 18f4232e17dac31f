"""A random reference that is already taken: the unique index notices, the whole transaction runs again.

Real transactions (not the test's wrapping one): the re-run belongs to the outermost owner, and on
PostgreSQL the failed INSERT spoils the transaction, which is exactly what must be survived.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from apps.bookings.models import AuditEntry, Booking, Status
from apps.bookings.services import hold as hold_service
from apps.bookings.tests.factories import make_hotel
from apps.bookings.tests.helpers import ARRIVAL, STAFF, counts, events, stay
from booking_platform.db.retry import TryAgain
from booking_platform.events.models import OutboxEvent

pytestmark = pytest.mark.django_db(transaction=True)


def _draws(monkeypatch, values: list[str]) -> Iterator[str]:
    drawn = iter(values)
    monkeypatch.setattr(hold_service, "new_reference", lambda: next(drawn))
    return drawn


@pytest.mark.parametrize("service", [hold_service.booking_book, hold_service.booking_hold])
def test_a_taken_reference_is_drawn_again(monkeypatch, service) -> None:
    hotel = make_hotel(start=ARRIVAL, sellable=2)
    first = hold_service.booking_book(request=stay(hotel, channel="staff"), actor=STAFF)
    _draws(monkeypatch, [first.reference, "NEW-REF-2345"])
    second = service(request=stay(hotel, channel="staff"), actor=STAFF)
    assert second.reference == "NEW-REF-2345"
    assert Booking.objects.count() == 2
    assert AuditEntry.objects.count() == OutboxEvent.objects.count() == 2
    night = {Status.CONFIRMED: (2, 0), Status.HELD: (1, 1)}[second.status]
    assert counts(hotel.room_type_id) == {ARRIVAL: night, ARRIVAL.replace(day=11): night}
    assert len(events(first.reference)) == 1  # the spoiled attempt left no trace on the first booking


def test_a_reference_that_keeps_clashing_is_try_again_and_changes_nothing(monkeypatch) -> None:
    hotel = make_hotel(start=ARRIVAL, sellable=2)
    first = hold_service.booking_book(request=stay(hotel, channel="staff"), actor=STAFF)
    _draws(monkeypatch, [first.reference] * 3)
    with pytest.raises(TryAgain):
        hold_service.booking_book(request=stay(hotel, channel="staff"), actor=STAFF)
    assert (Booking.objects.count(), AuditEntry.objects.count(), OutboxEvent.objects.count()) == (1, 1, 1)
    assert counts(hotel.room_type_id) == {ARRIVAL: (1, 0), ARRIVAL.replace(day=11): (1, 0)}
