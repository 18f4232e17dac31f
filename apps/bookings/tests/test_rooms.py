"""Staff room assignment: the right room is given and audited; every refusal names why and changes nothing."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from apps.availability.tests.factories import RoomFactory
from apps.bookings import interface
from apps.bookings.errors import InvalidTransition, RoomNotAssignable
from apps.bookings.models import Booking, Status
from apps.bookings.services.hold import booking_book, booking_hold
from apps.bookings.services.lifecycle import booking_cancel
from apps.bookings.services.rooms import booking_assign_room
from apps.bookings.services.stay import booking_check_in
from apps.bookings.tests.factories import make_hotel
from apps.bookings.tests.helpers import ARRIVAL, STAFF, audit, events, guest_of, stay
from booking_platform.errors import NotFound, PermissionDenied
from booking_platform.events.models import OutboxEvent

pytestmark = pytest.mark.django_db
ARRIVAL_NOON = datetime(2030, 3, 10, 11, 0, tzinfo=UTC)


def booked(hotel, *, start=ARRIVAL, nights: int = 2, rooms=None, service=booking_book) -> Booking:
    return service(request=stay(hotel, check_in=start, nights=nights, rooms=rooms, channel="staff"), actor=STAFF)


def state(booking: Booking) -> tuple:
    booking.refresh_from_db()
    return (
        booking.status,
        booking.version,
        list(booking.rooms.order_by("pk").values_list("assigned_room_id", flat=True)),
        audit(booking),
        OutboxEvent.objects.count(),
    )


def test_a_confirmed_booking_gets_the_room_and_check_in_keeps_it(hotel) -> None:
    booking = booked(hotel)
    double_2 = hotel.room_ids[1]
    assigned = booking_assign_room(booking_id=booking.pk, room_id=double_2, actor=STAFF)
    assert (assigned.status, assigned.version) == (Status.CONFIRMED, 2)
    assert list(assigned.rooms.values_list("assigned_room_id", flat=True)) == [double_2]
    entry = assigned.audit_entries.last()
    assert (entry.action, entry.actor_kind, entry.actor_id) == ("room_assigned", "staff", "1")
    assert entry.before["version"] == 1
    assert entry.before["rooms"][0]["assigned_room_id"] is None
    assert entry.after["version"] == 2
    assert entry.after["rooms"][0]["assigned_room_id"] == double_2
    assert events(booking.reference) == ["booking.confirmed"]  # audited, no domain event
    checked_in = booking_check_in(booking_id=booking.pk, actor=STAFF, now=ARRIVAL_NOON)
    assert checked_in.rooms.get().assigned_room_id == double_2


def test_an_in_house_guest_moves_to_another_room(hotel) -> None:
    booking = booked(hotel)
    booking_check_in(booking_id=booking.pk, actor=STAFF, now=ARRIVAL_NOON)
    assert booking.rooms.get().assigned_room_id == hotel.room_ids[0]
    moved = interface.assign_room(booking_id=booking.pk, room_id=hotel.room_ids[1], actor=STAFF)
    assert (moved.status, moved.version, moved.rooms[0].assigned_room_id) == ("checked_in", 3, hotel.room_ids[1])
    assert audit(booking)[-1] == ("room_assigned", "staff", "1")


def test_the_same_room_again_changes_nothing(hotel) -> None:
    booking = booked(hotel)
    booking_assign_room(booking_id=booking.pk, room_id=hotel.room_ids[0], actor=STAFF)
    before = state(booking)
    again = booking_assign_room(booking_id=booking.pk, room_id=hotel.room_ids[0], actor=STAFF)
    assert again.version == 2
    assert state(booking) == before


def test_two_rooms_of_a_type_are_filled_in_order_then_refused() -> None:
    hotel = make_hotel(start=ARRIVAL, nights=3, rooms_per_type=3)
    booking = booked(hotel, rooms=hotel.rooms(2))
    doubles = hotel.room_ids[:3]
    booking_assign_room(booking_id=booking.pk, room_id=doubles[2], actor=STAFF)
    booking_assign_room(booking_id=booking.pk, room_id=doubles[0], actor=STAFF)
    before = state(booking)
    assert before[2] == [doubles[2], doubles[0]]
    with pytest.raises(RoomNotAssignable) as exc:
        booking_assign_room(booking_id=booking.pk, room_id=doubles[1], actor=STAFF)
    assert (exc.value.code, exc.value.http_status) == ("rooms_already_assigned", 409)
    assert state(booking) == before


def out_of_order(room_id: int) -> int:
    RoomFactory._meta.model.objects.filter(pk=room_id).update(housekeeping_status="out_of_order")
    return room_id


@pytest.mark.parametrize(
    ("pick", "error", "code"),
    [
        (lambda hotel, other: other.room_ids[0], RoomNotAssignable, "room_wrong_property"),
        (lambda hotel, other: hotel.room_ids[2], RoomNotAssignable, "room_type_mismatch"),
        (lambda hotel, other: out_of_order(hotel.room_ids[1]), RoomNotAssignable, "room_out_of_order"),
        (lambda hotel, other: 987654, NotFound, "room_not_found"),
    ],
)
def test_a_room_that_does_not_fit_is_refused_and_nothing_changes(hotel, pick, error, code: str) -> None:
    other_hotel = make_hotel(start=ARRIVAL, nights=3)
    booking = booked(hotel)
    before = state(booking)
    with pytest.raises(error) as exc:
        booking_assign_room(booking_id=booking.pk, room_id=pick(hotel, other_hotel), actor=STAFF)
    assert exc.value.code == code
    assert state(booking) == before


@pytest.mark.parametrize("holder_in_house", [False, True])
def test_a_room_another_overlapping_booking_has_is_refused(hotel, holder_in_house: bool) -> None:
    holder = booked(hotel)
    booking_assign_room(booking_id=holder.pk, room_id=hotel.room_ids[0], actor=STAFF)
    if holder_in_house:
        booking_check_in(booking_id=holder.pk, actor=STAFF, now=ARRIVAL_NOON)
    booking = booked(hotel, start=ARRIVAL + timedelta(days=1))
    before = state(booking)
    with pytest.raises(RoomNotAssignable) as exc:
        booking_assign_room(booking_id=booking.pk, room_id=hotel.room_ids[0], actor=STAFF)
    assert (exc.value.code, exc.value.extra) == ("room_taken", {"booking": holder.reference})
    assert state(booking) == before


def test_an_in_house_guest_blocks_the_room_for_another_in_house_guest_whatever_the_dates(hotel) -> None:
    overstayer = booked(hotel, nights=1)
    booking_check_in(booking_id=overstayer.pk, actor=STAFF, now=ARRIVAL_NOON)  # gets room_ids[0]
    booking = booked(hotel, start=ARRIVAL + timedelta(days=1))
    booking_check_in(booking_id=booking.pk, actor=STAFF, now=ARRIVAL_NOON + timedelta(days=1))
    before = state(booking)
    assert before[2] == [hotel.room_ids[1]]  # check-in, too, skips a room whose guest has not left
    with pytest.raises(RoomNotAssignable) as exc:
        booking_assign_room(booking_id=booking.pk, room_id=hotel.room_ids[0], actor=STAFF)
    assert exc.value.code == "room_taken"
    assert state(booking) == before


def test_a_later_or_cancelled_booking_does_not_block_the_room(hotel) -> None:
    later = booked(hotel, start=ARRIVAL + timedelta(days=2))
    booking_assign_room(booking_id=later.pk, room_id=hotel.room_ids[0], actor=STAFF)
    cancelled = booked(hotel)
    booking_assign_room(booking_id=cancelled.pk, room_id=hotel.room_ids[1], actor=STAFF)
    booking_cancel(booking_id=cancelled.pk, actor=STAFF)
    booking = booked(hotel)
    booking_assign_room(booking_id=booking.pk, room_id=hotel.room_ids[0], actor=STAFF)
    booking_assign_room(booking_id=booking.pk, room_id=hotel.room_ids[1], actor=STAFF)  # a room move
    assert state(booking)[2] == [hotel.room_ids[1]]


@pytest.mark.parametrize("status", [Status.HELD, Status.CANCELLED])
def test_only_confirmed_or_in_house_bookings_get_rooms(hotel, status: str) -> None:
    booking = booked(hotel, service=booking_hold)
    if status == Status.CANCELLED:
        booking_cancel(booking_id=booking.pk, actor=STAFF)
    before = state(booking)
    with pytest.raises(InvalidTransition) as exc:
        booking_assign_room(booking_id=booking.pk, room_id=hotel.room_ids[0], actor=STAFF)
    assert (exc.value.code, exc.value.extra["status"]) == ("invalid_transition", status)
    assert state(booking) == before


def test_guests_cannot_assign_rooms(hotel) -> None:
    booking = booked(hotel)
    before = state(booking)
    with pytest.raises(PermissionDenied) as exc:
        booking_assign_room(booking_id=booking.pk, room_id=hotel.room_ids[0], actor=guest_of(booking))
    assert (exc.value.code, exc.value.http_status) == ("staff_only", 403)
    assert state(booking) == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_desks_giving_one_room_to_two_bookings_at_once_give_it_once(require_postgres) -> None:
    hotel = make_hotel(start=ARRIVAL, nights=3)
    first, second = booked(hotel), booked(hotel)
    results: dict[int, str] = {}
    barrier = threading.Barrier(2)

    def desk(booking_id: int) -> None:
        try:
            barrier.wait(timeout=30)
            booking_assign_room(booking_id=booking_id, room_id=hotel.room_ids[0], actor=STAFF)
            results[booking_id] = "ok"
        except RoomNotAssignable as exc:
            results[booking_id] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=desk, args=(b.pk,)) for b in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results.values()) == ["ok", "room_taken"]
    holders = [b.pk for b in (first, second) if b.rooms.get().assigned_room_id == hotel.room_ids[0]]
    assert holders == [b for b, outcome in results.items() if outcome == "ok"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_arrivals_checking_in_at_once_never_share_a_room(require_postgres) -> None:
    hotel = make_hotel(start=ARRIVAL, nights=3, sellable=10, rooms_per_type=2)
    outcomes: list[tuple[str, int | None]] = []
    for _ in range(4):  # several rounds: each race lasts only as long as one check-in
        first, second = booked(hotel, nights=1), booked(hotel, nights=1)
        barrier = threading.Barrier(2)

        def desk(booking_id: int, barrier: threading.Barrier = barrier) -> None:
            try:
                barrier.wait(timeout=30)
                booking_check_in(booking_id=booking_id, actor=STAFF, now=ARRIVAL_NOON)
            finally:
                connection.close()

        threads = [threading.Thread(target=desk, args=(b.pk,)) for b in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        rooms = sorted(b.rooms.get().assigned_room_id for b in (first, second))
        outcomes.append((rooms == sorted(hotel.room_ids[:2]), len(set(rooms))))
        for booking in (first, second):  # free the rooms for the next round
            Booking.objects.filter(pk=booking.pk).update(status=Status.CHECKED_OUT)
    assert outcomes == [(True, 2)] * 4
