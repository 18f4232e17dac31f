"""The booking list and page as front desk staff use them: search, filters, the page's buttons."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from apps.availability.interface import get_property
from apps.bookings.interface import book, get_booking
from apps.bookings.tests.factories import Hotel, make_guest
from apps.customers.interface import upsert_customer
from apps.front_desk.tests.conftest import ARRIVAL, Clock, client_for, guest, make_staff, stay

pytestmark = pytest.mark.django_db
LIST = reverse("admin:bookings_booking_changelist")


def listed(client: Client, **query: str) -> list[str]:
    return [b.reference for b in client.get(LIST, query).context["cl"].result_list]


def test_search_by_reference_as_typed_guest_name_or_email(hotel: Hotel) -> None:
    anna = upsert_customer(email="anna.berg@guest.example", first_name="Anna", last_name="Berg")
    mine = book(request=stay(hotel, customer_id=anna.id), actor=guest(hotel))
    other = book(request=stay(hotel, customer_id=make_guest()), actor=guest(hotel))
    desk = client_for(make_staff("desk", "Front desk", hotel.property_id))

    compact = mine.reference.replace("-", "").lower()
    assert listed(desk, q=compact) == [mine.reference]
    assert listed(desk, q=f" {mine.reference.lower()} ") == [mine.reference]
    assert listed(desk, q="anna berg") == [mine.reference]
    assert listed(desk, q="ANNA.BERG@guest") == [mine.reference]
    assert set(listed(desk)) == {mine.reference, other.reference}


def test_list_shows_guest_property_nights_and_rooms(hotel: Hotel) -> None:
    anna = upsert_customer(email="anna.berg@guest.example", first_name="Anna", last_name="Berg")
    info = book(request=stay(hotel, customer_id=anna.id, nights=3), actor=guest(hotel))
    desk = client_for(make_staff("desk", "Front desk", hotel.property_id))

    [row] = desk.get(LIST).context["cl"].result_list

    assert (row.reference, row.guest_label, row.room_labels) == (info.reference, "Anna Berg", ["Double"])
    assert (row.property_label, (row.check_out - row.check_in).days) == (get_property_name(hotel), 3)


def get_property_name(hotel: Hotel) -> str:
    return get_property(hotel.property_id).name


def test_arrival_filter_today(hotel: Hotel, clock: Clock) -> None:
    clock.set(datetime(2030, 3, 10, 9, tzinfo=ZoneInfo("Europe/Berlin")))
    today = book(request=stay(hotel), actor=guest(hotel))
    book(request=stay(hotel, check_in=ARRIVAL + timedelta(days=3)), actor=guest(hotel))
    desk = client_for(make_staff("desk", "Front desk", hotel.property_id))
    assert listed(desk, arrival="today") == [today.reference]


def test_arrival_and_departure_ranges_typed_in_the_filter(hotel: Hotel, clock: Clock) -> None:
    clock.set(datetime(2030, 3, 10, 9, tzinfo=ZoneInfo("Europe/Berlin")))
    first = book(request=stay(hotel), actor=guest(hotel))
    later = book(request=stay(hotel, check_in=ARRIVAL + timedelta(days=3)), actor=guest(hotel))
    desk = client_for(make_staff("desk", "Front desk", hotel.property_id))
    day = ARRIVAL.isoformat()
    three = (ARRIVAL + timedelta(days=3)).isoformat()

    assert listed(desk, arrival_from=day, arrival_to=day) == [first.reference]
    assert set(listed(desk, arrival_from=day, arrival_to=three)) == {first.reference, later.reference}
    assert listed(desk, arrival_from=three) == [later.reference]
    assert listed(desk, departure_to=(ARRIVAL + timedelta(days=2)).isoformat()) == [first.reference]
    assert set(listed(desk, arrival_from="not-a-date")) == {first.reference, later.reference}
    page = desk.get(LIST, {"arrival_from": day, "status": "confirmed"}).content.decode()
    assert f'name="arrival_from" value="{day}"' in page
    assert '<input type="hidden" name="status" value="confirmed">' in page


def test_cancel_shows_terms_and_fee_first_then_cancels(hotel: Hotel) -> None:
    info = book(request=stay(hotel), actor=guest(hotel))
    desk = client_for(make_staff("desk", "Front desk", hotel.property_id))
    url = reverse("admin:bookings_booking_do", args=[info.id, "cancel"])

    confirm = desk.get(url)
    assert get_booking(info.id).status == "confirmed"  # looking changes nothing
    done = desk.post(url)

    assert confirm.status_code == 200
    assert "Free cancellation until" in confirm.content.decode()
    assert confirm.context["fee"] == 0
    assert done.status_code == 302
    assert get_booking(info.id).status == "cancelled"


def test_cancel_keeps_the_staff_reason_in_the_history_only(hotel: Hotel) -> None:
    from apps.bookings.models import AuditEntry

    info = book(request=stay(hotel), actor=guest(hotel))
    desk = client_for(make_staff("desk", "Front desk", hotel.property_id))
    url = reverse("admin:bookings_booking_do", args=[info.id, "cancel"])

    assert 'name="reason"' in desk.get(url).content.decode()
    too_long = desk.post(url, {"reason": "x" * 501}, follow=True)
    assert "reason is at most 500 characters (got 501)." in too_long.content.decode()
    assert get_booking(info.id).status == "confirmed"
    assert get_booking(info.id).version == info.version

    desk.post(url, {"reason": "  Guest called: flight cancelled.  "})
    entry = AuditEntry.objects.filter(booking_id=info.id, action="cancelled").get()
    assert get_booking(info.id).status == "cancelled"
    assert entry.after["reason"] == "Guest called: flight cancelled."


def test_view_only_staff_get_no_buttons_and_cannot_post(hotel: Hotel) -> None:
    info = book(request=stay(hotel), actor=guest(hotel))
    reader = client_for(make_staff("reader", "Read-only", hotel.property_id))
    page = reader.get(reverse("admin:bookings_booking_change", args=[info.id]))
    assert page.context["actions"] == []
    assert not page.context["can_assign"]
    for name in ("cancel", "check_in", "no_show"):
        assert reader.post(reverse("admin:bookings_booking_do", args=[info.id, name])).status_code == 403
    assert get_booking(info.id).version == info.version


def test_the_guest_profile_links_to_the_guests_bookings_at_the_users_properties(
    hotel: Hotel, other_hotel: Hotel
) -> None:
    anna = upsert_customer(email="anna.berg@guest.example", first_name="Anna", last_name="Berg")
    here = book(request=stay(hotel, customer_id=anna.id), actor=guest(hotel))
    book(request=stay(other_hotel, customer_id=anna.id), actor=guest(other_hotel))
    book(request=stay(hotel), actor=guest(hotel))
    desk = client_for(make_staff("desk", "Front desk", hotel.property_id))

    profile = desk.get(reverse("admin:customers_customer_change", args=[anna.id])).content.decode()

    assert f"{LIST}?customer_id={anna.id}" in profile
    assert listed(desk, customer_id=str(anna.id)) == [here.reference]


def test_change_guests_and_room_type_is_repriced_or_refused_cleanly(hotel: Hotel) -> None:
    info = book(request=stay(hotel, nights=2), actor=guest(hotel))
    desk = client_for(make_staff("desk", "Front desk", hotel.property_id))
    url = reverse("admin:bookings_booking_dates", args=[info.id])
    same_dates = {"check_in": info.check_in.isoformat(), "check_out": info.check_out.isoformat()}

    too_many = desk.post(
        url, same_dates | {"version": info.version, "adults_0": "9", "room_type_0": hotel.room_type_id}
    )
    unchanged = get_booking(info.id)
    suite = desk.post(
        url, same_dates | {"version": info.version, "adults_0": "2", "room_type_0": hotel.other_room_type_id}
    )
    changed = get_booking(info.id)
    stale = desk.post(url, same_dates | {"version": info.version, "adults_0": "1"}, follow=True)

    assert (too_many.status_code, unchanged.version, unchanged.total) == (302, info.version, 200)
    assert suite.status_code == 302
    assert ([r.room_type_id for r in changed.rooms], changed.total) == ([hotel.other_room_type_id], 400)
    assert "The booking was changed meanwhile; reload it and try again." in stale.content.decode()
    assert get_booking(info.id).version == changed.version
