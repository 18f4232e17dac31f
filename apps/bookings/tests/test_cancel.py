from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from apps.bookings.errors import InvalidTransition
from apps.bookings.models import Status
from apps.bookings.services.hold import booking_book, booking_hold
from apps.bookings.services.lifecycle import booking_cancel
from apps.bookings.tests.factories import make_hotel
from apps.bookings.tests.helpers import STAFF, audit, counts, events, guest_of, stay
from booking_platform.events.models import OutboxEvent

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
MINUTE = timedelta(minutes=1)


def booked(hotel, arrival: date, *, nights: int = 3):
    return booking_book(request=stay(hotel, check_in=arrival, nights=nights), actor=hotel.guest)


@pytest.mark.parametrize(
    ("arrival", "deadline_utc", "deadline_local"),
    [
        # Clocks go forward on 31 Mar 2030: 48 h before 1 Apr 15:00 CEST is 30 Mar 14:00 CET.
        (date(2030, 4, 1), datetime(2030, 3, 30, 13, 0, tzinfo=UTC), "2030-03-30 14:00"),
        # Clocks go back on 27 Oct 2030: 48 h before 28 Oct 15:00 CET is 26 Oct 16:00 CEST.
        (date(2030, 10, 28), datetime(2030, 10, 26, 14, 0, tzinfo=UTC), "2030-10-26 16:00"),
        # No change in between: the same wall-clock time two days earlier.
        (date(2030, 6, 10), datetime(2030, 6, 8, 13, 0, tzinfo=UTC), "2030-06-08 15:00"),
    ],
)
def test_fee_at_deadline_minus_and_plus_a_minute_across_dst(arrival, deadline_utc, deadline_local) -> None:
    hotel = make_hotel(start=arrival - timedelta(days=1), nights=6, price="120.00")
    assert f"{deadline_utc.astimezone(BERLIN):%Y-%m-%d %H:%M}" == deadline_local
    in_time, too_late = booked(hotel, arrival), booked(hotel, arrival)
    free = booking_cancel(booking_id=in_time.pk, actor=guest_of(in_time), now=deadline_utc - MINUTE)
    charged = booking_cancel(booking_id=too_late.pk, actor=guest_of(too_late), now=deadline_utc + MINUTE)
    assert (free.status, free.cancellation_fee) == (Status.CANCELLED, Decimal("0.00"))
    assert (charged.status, charged.cancellation_fee) == (Status.CANCELLED, Decimal("120.00"))
    assert charged.total == Decimal("360.00")  # the amount booked stays on the books


def test_the_deadline_minute_itself_is_still_free() -> None:
    hotel = make_hotel(start=date(2030, 6, 9), nights=4)
    booking = booked(hotel, date(2030, 6, 10))
    cancelled = booking_cancel(
        booking_id=booking.pk, actor=guest_of(booking), now=datetime(2030, 6, 8, 13, 0, tzinfo=UTC)
    )
    assert cancelled.cancellation_fee == Decimal("0.00")


@pytest.mark.parametrize(
    ("policy", "fee"),
    [
        ({"cancellation": "free_cancellation", "fee_kind": "percent", "fee_percent": Decimal("25")}, "75.00"),
        ({"cancellation": "free_cancellation", "fee_kind": "full_stay"}, "300.00"),
        ({"cancellation": "non_refundable", "free_until_hours": None, "fee_kind": ""}, "300.00"),
    ],
)
def test_fee_kinds_after_the_deadline(policy: dict, fee: str) -> None:
    hotel = make_hotel(start=date(2030, 6, 9), nights=5, **policy)
    booking = booked(hotel, date(2030, 6, 10))
    late = datetime(2030, 6, 10, 12, 0, tzinfo=UTC)
    assert booking_cancel(booking_id=booking.pk, actor=guest_of(booking), now=late).cancellation_fee == Decimal(fee)


def test_cancel_releases_units_audits_and_emits_the_fee() -> None:
    arrival = date(2030, 6, 10)
    hotel = make_hotel(start=arrival, nights=4)
    booking = booked(hotel, arrival, nights=2)
    assert counts(hotel.room_type_id, arrival, 4) == {arrival: (1, 0), arrival + timedelta(days=1): (1, 0)}
    cancelled = booking_cancel(booking_id=booking.pk, actor=STAFF, now=datetime(2030, 6, 9, 12, tzinfo=UTC))
    assert (cancelled.version, cancelled.cancelled_at) == (2, datetime(2030, 6, 9, 12, tzinfo=UTC))
    assert counts(hotel.room_type_id, arrival, 4) == {}
    assert events(booking.reference) == ["booking.confirmed", "booking.cancelled"]
    assert audit(cancelled)[-1] == ("cancelled", "staff", "1")
    entry = cancelled.audit_entries.last()
    assert entry.before == {"status": "confirmed", "cancellation_fee": "0.00", "version": 1}
    assert entry.after == {"status": "cancelled", "cancellation_fee": "100.00", "version": 2}
    payload = OutboxEvent.objects.filter(event_type="booking.cancelled").get().payload
    assert (payload["status"], payload["cancellation_fee"], payload["actor"]) == (
        "cancelled",
        "100.00",
        {"kind": "staff", "id": "1"},
    )


def test_cancelling_a_hold_is_free_and_gives_the_units_back() -> None:
    arrival = date(2030, 6, 10)
    hotel = make_hotel(start=arrival, nights=4, cancellation="non_refundable", free_until_hours=None)
    booking = booking_hold(request=stay(hotel, check_in=arrival, nights=1), actor=hotel.guest)
    cancelled = booking_cancel(booking_id=booking.pk, actor=guest_of(booking))
    assert (cancelled.status, cancelled.cancellation_fee, cancelled.expires_at) == (
        Status.CANCELLED,
        Decimal("0.00"),
        None,
    )
    assert counts(hotel.room_type_id, arrival, 4) == {}


def test_cancelling_twice_is_refused_and_changes_nothing() -> None:
    arrival = date(2030, 6, 10)
    hotel = make_hotel(start=arrival, nights=4)
    booking = booked(hotel, arrival)
    booking_cancel(booking_id=booking.pk, actor=guest_of(booking))
    before = (events(booking.reference), audit(booking), counts(hotel.room_type_id, arrival, 4))
    with pytest.raises(InvalidTransition) as exc:
        booking_cancel(booking_id=booking.pk, actor=guest_of(booking))
    assert exc.value.code == "invalid_transition"
    assert exc.value.extra == {"reference": booking.reference, "status": "cancelled", "action": "cancelled"}
    booking.refresh_from_db()
    assert (booking.status, booking.version) == (Status.CANCELLED, 2)
    assert (events(booking.reference), audit(booking), counts(hotel.room_type_id, arrival, 4)) == before
