"""A double click sends the details form twice at the same moment: one hold, both answers lead to it (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.db import connections
from django.test import Client

from apps.availability.interface import inventory_counts
from apps.bookings.tests.factories import Hotel
from apps.guest_site.tests.conftest import GUEST, form_token, offer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("attempt", range(5))
def test_two_simultaneous_submits_hold_once(
    require_postgres, client: Client, hotel: Hotel, today: date, attempt
) -> None:
    night = today + timedelta(days=3)
    params = offer(hotel, night)
    data = {**params, **GUEST, "form_token": form_token(client, params)}
    cookies = client.cookies
    start = threading.Barrier(2)
    answers: list[str] = []

    def submit() -> None:
        browser = Client()
        browser.cookies = cookies
        start.wait()
        try:
            response = browser.post("/book/", data)
            answers.append(f"{response.status_code} {response.get('Location', '')}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == 2
    assert answers[0] == answers[1]
    assert answers[0].startswith("302 /bookings/")
    assert inventory_counts(start=night, end=night + timedelta(days=1))[(hotel.room_type_id, night)] == (0, 1)
