"""English plus German, French and Spanish, switchable; dates and amounts formatted for the language."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import formats, translation

from apps.bookings.tests.factories import Hotel
from apps.guest_site.tests.conftest import search_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "title", "total"),
    [("en", "Find your room", "200.00 EUR"), ("de", "Finden Sie Ihr Zimmer", "200,00 EUR"),
     ("fr", "Trouvez votre chambre", "200,00 EUR"), ("es", "Encuentre su habitación", "200,00 EUR")],
)  # fmt: skip
def test_each_language_speaks_and_formats_its_own_way(hotel: Hotel, today: date, language, title, total) -> None:
    browser = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert f"<h1>{title}</h1>" in browser.get("/").content.decode()
    html = browser.get(search_url(f"p{hotel.property_id}", today + timedelta(days=1))).content.decode()
    assert f"<strong>{total}</strong>" in html
    assert f'<html lang="{language}">' in html


def test_the_language_menu_switches_and_remembers(client: Client, hotel: Hotel) -> None:
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    html = client.get("/").content.decode()
    assert "<h1>Finden Sie Ihr Zimmer</h1>" in html
    assert '<option value="de" selected lang="de">Deutsch</option>' in html


def test_reasons_are_told_in_the_language(hotel: Hotel, today: date) -> None:
    html = (
        Client(HTTP_ACCEPT_LANGUAGE="de")
        .get(search_url(f"p{hotel.property_id}", today + timedelta(days=12), nights=4))
        .content.decode()
    )
    last_open = today + timedelta(days=14)
    with translation.override("de"):
        assert f"Am {formats.date_format(last_open, 'j. F Y')} nicht buchbar." in html
