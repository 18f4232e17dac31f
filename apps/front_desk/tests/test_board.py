"""The front desk board end to end through the admin: arrivals, check-in (with a refused one when
no clean room is free), check-out marking the room dirty, housekeeping cleaning it, and a constant
number of queries whatever the number of guests."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.availability.models import Room
from apps.bookings.interface import Actor, book, check_in
from apps.bookings.models import AuditEntry, Booking
from apps.bookings.tests.factories import Hotel, make_guest
from apps.front_desk.tests.conftest import ARRIVAL, client_for, guest, make_staff, stay

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
BOARD = reverse("admin:front_desk_board")


def front_desk(hotel: Hotel) -> Client:
    """A front desk user of the hotel, logged in at the (possibly moved) clock's time."""
    return client_for(make_staff("desk", "Front desk", hotel.property_id))


def at(day: date, hour: int = 16) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN)


def test_board_lists_the_days_arrivals_and_checks_in_with_one_click(hotel, clock) -> None:
    clock.set(at(ARRIVAL))
    desk = front_desk(hotel)
    info = book(request=stay(hotel), actor=guest(hotel))
    here = f"{BOARD}?day={ARRIVAL}"

    board = desk.get(here)
    response = desk.post(reverse("admin:bookings_booking_do", args=[info.id, "check_in"]), {"next": here})

    assert board.status_code == 200
    assert info.reference in board.content.decode().split('id="arrivals-')[1].split("</section>")[0]
    assert (response.status_code, response["Location"]) == (302, here)
    booking = Booking.objects.get(pk=info.id)
    assert booking.status == "checked_in"
    assert booking.rooms.get().assigned_room_id in hotel.room_ids[:2]  # one of the two Doubles
    last = AuditEntry.objects.filter(booking=booking).order_by("id").last()
    assert (last.action, last.actor_kind, last.actor_id) == ("checked_in", "staff", str(desk.session["_auth_user_id"]))


def test_check_in_is_refused_cleanly_when_no_clean_room_is_free(hotel, clock) -> None:
    clock.set(at(ARRIVAL))
    desk = front_desk(hotel)
    info = book(request=stay(hotel), actor=guest(hotel))
    Room.objects.filter(pk__in=hotel.room_ids[:2]).update(housekeeping_status="dirty")

    response = desk.post(reverse("admin:bookings_booking_do", args=[info.id, "check_in"]), follow=True)

    assert "No clean Double room is free yet" in response.content.decode()
    booking = Booking.objects.get(pk=info.id)
    assert (booking.status, booking.version, booking.rooms.get().assigned_room_id) == ("confirmed", 1, None)


def test_check_out_marks_the_room_dirty_and_housekeeping_cleans_it(hotel, clock) -> None:
    clock.set(at(ARRIVAL))
    desk = front_desk(hotel)
    info = book(request=stay(hotel, nights=2), actor=guest(hotel))
    check_in(booking_id=info.id, actor=Actor.staff(1))
    room_id = Booking.objects.get(pk=info.id).rooms.get().assigned_room_id
    departure = ARRIVAL + timedelta(days=2)
    clock.set(at(departure, 10))

    desk.post(reverse("admin:bookings_booking_do", args=[info.id, "check_out"]))
    board = desk.get(f"{BOARD}?day={departure}").content.decode()
    keeper = client_for(make_staff("keeper", "Housekeeping", hotel.property_id))
    cleaned = keeper.post(reverse("admin:front_desk_clean", args=[room_id]), {"status": "clean"})

    assert Booking.objects.get(pk=info.id).status == "checked_out"
    number = Room.objects.get(pk=room_id).room_number
    assert f'<div class="hk-dirty">{number}</div>' in board.split('id="housekeeping-')[1]
    assert cleaned.status_code == 302
    assert Room.objects.get(pk=room_id).housekeeping_status == "clean"


def test_the_front_desk_cannot_clean_rooms_it_does_not_manage(hotel, other_hotel) -> None:
    desk = front_desk(hotel)
    other_room = other_hotel.room_ids[0]
    Room.objects.filter(pk=other_room).update(housekeeping_status="dirty")
    assert desk.post(reverse("admin:front_desk_clean", args=[other_room]), {"status": "clean"}).status_code == 404
    assert Room.objects.get(pk=other_room).housekeeping_status == "dirty"


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_board_booking_list_and_page_cost_the_same_queries_for_one_guest_or_many(hotel, clock) -> None:
    clock.set(at(ARRIVAL))
    desk = front_desk(hotel)
    first = book(request=stay(hotel), actor=guest(hotel))
    check_in(booking_id=first.id, actor=Actor.staff(1))  # one guest in house, with a room
    urls = [f"{BOARD}?day={ARRIVAL}", reverse("admin:bookings_booking_changelist")]
    page = reverse("admin:bookings_booking_change", args=[first.id])
    few = [_queries(desk, url) for url in urls]
    few_page = _queries(desk, page)

    for room_type_id in (hotel.room_type_id, hotel.other_room_type_id, hotel.other_room_type_id):
        book(request=stay(hotel, customer_id=make_guest(), room_type_id=room_type_id), actor=guest(hotel))
    book(request=stay(hotel, customer_id=make_guest(), check_in=ARRIVAL + timedelta(days=2)), actor=guest(hotel))

    assert [_queries(desk, url) for url in urls] == few
    assert _queries(desk, page) == few_page
