"""Home and results: defaults, exact prices, reasons, suggestions, field errors, constant queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.availability.interface import inventory_counts
from apps.bookings.tests.factories import Hotel
from apps.guest_site.tests.conftest import book_rooms, search_url

pytestmark = pytest.mark.django_db


def test_home_defaults_to_tonight_one_night_two_adults(client, hotel: Hotel, sister: Hotel, today: date) -> None:
    page = client.get("/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<option value="cBerlin" selected>All hotels in Berlin</option>' in html
    assert f'name="check_in" value="{today.isoformat()}"' in html
    assert f'name="check_out" value="{(today + timedelta(days=1)).isoformat()}"' in html
    assert 'name="adults" value="2"' in html
    assert 'name="rooms" value="1"' in html


def test_results_show_each_room_type_with_exact_prices(client, hotel: Hotel, today: date) -> None:
    page = client.get(search_url(f"p{hotel.property_id}", today + timedelta(days=1), nights=2))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="rate"') == 4  # 2 room types x 2 plans, all bookable
    assert "<strong>200.00 EUR</strong>" in html  # Double, Flexible: 2 x 100
    assert "<strong>240.00 EUR</strong>" in html  # Double, Breakfast: 2 x 120
    assert "<strong>400.00 EUR</strong>" in html  # Suite, Flexible
    assert html.count("Only 2 left") == 4
    assert "Free cancellation until" in html
    assert "<td>100.00 EUR</td>" in html  # the per-night breakdown


def test_a_city_search_covers_every_hotel_of_the_group(client, hotel: Hotel, sister: Hotel, today: date) -> None:
    html = client.get(search_url("cBerlin", today)).content.decode()
    assert f'id="hotel-{hotel.property_id}"' in html
    assert f'id="hotel-{sister.property_id}"' in html


def test_offers_that_do_not_fit_say_why(client, hotel: Hotel, today: date) -> None:
    html = client.get(search_url(f"p{hotel.property_id}", today + timedelta(days=12), nights=4)).content.decode()
    last_open = today + timedelta(days=14)
    assert html.count('class="rate rate-off"') == 4
    assert f"Not for sale on {last_open.day} {last_open:%b %Y}." in html
    assert "Book</button>" not in html


def test_nothing_fits_suggests_nearby_dates_and_sister_hotels(client, hotel: Hotel, sister: Hotel, today: date) -> None:
    night = today + timedelta(days=5)
    for room_type in (hotel.room_type_id, hotel.other_room_type_id):
        book_rooms(hotel, night, nights=1, count=2, room_type_id=room_type)
    html = client.get(search_url(f"p{hotel.property_id}", night, nights=1)).content.decode()
    assert "Nothing fits these dates. Try:" in html
    before = night - timedelta(days=1)
    assert f"check_in={before.isoformat()}&amp;check_out={night.isoformat()}" in html
    assert f"where=p{sister.property_id}&amp;check_in={night.isoformat()}" in html
    assert "from 100.00 EUR" in html


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"check_out": "2020-01-01"}, "check_out", "Check-out must be after check-in."),
        ({"check_in": "2020-01-01", "check_out": "2020-01-03"}, "check_in", "Check-in is in the past at the hotel."),
        ({"adults": "0"}, "adults", "Ensure this value is greater than or equal to 1."),
        ({"rooms": "many"}, "rooms", "Enter a whole number."),
        ({"check_in": "31/12/2026"}, "check_in", "Enter a valid date."),
        ({"where": "p999999"}, "where", "Select a valid choice. p999999 is not one of the available choices."),
    ],
)
def test_bad_search_input_is_a_field_error(client, hotel: Hotel, today: date, change, field, message) -> None:
    tomorrow = today + timedelta(days=1)
    query = {"where": f"p{hotel.property_id}", "check_in": today.isoformat(), "check_out": tomorrow.isoformat(),
             "adults": "2", "children": "0", "rooms": "1"}  # fmt: skip
    page = client.get("/search/", {**query, **change})
    assert page.status_code == 400
    assert page.context["form"].errors == {field: [message]}


def test_a_stay_longer_than_allowed_is_refused_on_check_out(client, hotel: Hotel, today: date) -> None:
    page = client.get(search_url(f"p{hotel.property_id}", today, nights=31))
    assert page.status_code == 400
    assert page.context["form"].errors == {"check_out": ["This stay is too long to book online."]}


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_results_page_queries_do_not_grow_with_nights_or_hotels(client, hotel: Hotel, sister: Hotel, today) -> None:
    one = queries(client, search_url(f"p{hotel.property_id}", today, nights=1))
    many = queries(client, search_url(f"p{hotel.property_id}", today, nights=6))
    city = queries(client, search_url("cBerlin", today, nights=6))
    city_again = queries(client, search_url("cBerlin", today, nights=3))
    # Hotels, the search, room types + photos; the first search of a hotel reads its catalogue
    # (3 queries), later ones use the process's copy; a city search reads only the hotels it lacks.
    assert (one, many, city, city_again) == (9, 6, 9, 6)


def test_home_page_queries_are_constant(client, hotel: Hotel, sister: Hotel, django_assert_num_queries) -> None:
    with django_assert_num_queries(2):  # the hotels, their photos
        page = client.get("/")
    assert page.status_code == 200
    assert page.content.decode().count('<li class="card hotel">') == 2
    assert f"/search/?where=p{sister.property_id}&amp;check_in=" in page.content.decode()


def test_searching_changes_nothing(client, hotel: Hotel, today: date) -> None:
    before = inventory_counts(start=today, end=today + timedelta(days=14))
    client.get(search_url(f"p{hotel.property_id}", today))
    assert inventory_counts(start=today, end=today + timedelta(days=14)) == before


def test_hotel_description_is_shown_escaped_on_home_and_results(client, hotel: Hotel, today: date) -> None:
    from apps.availability.tests.factories import PropertyFactory

    text = "Quiet rooms by the park.\n<b>Late check-in</b> on request."
    PropertyFactory._meta.model.objects.filter(pk=hotel.property_id).update(description=text)
    expected = "Quiet rooms by the park.<br>&lt;b&gt;Late check-in&lt;/b&gt; on request."
    home = client.get("/").content.decode()
    results = client.get(search_url(f"p{hotel.property_id}", today + timedelta(days=1), nights=2)).content.decode()
    assert f'<p class="hotel-description">{expected}</p>' in home
    assert f'<p class="hotel-description">{expected}</p>' in results
