"""The guest journey in a real browser (Chromium via Playwright) on a phone and a desktop, and the error paths.

Served by pytest-django's live_server with the demo hotels; the confirmation email is read from a real
SMTP server (aiosmtpd). Run: .venv/bin/pytest apps/guest_site/tests/test_browser.py -m browser
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command

from apps.availability.interface import active_properties, local_today
from apps.bookings.interface import find_booking
from apps.guest_site.tests.browser import DESKTOP, PHONE, Shots, Viewport, axe_violations, check_prerequisites, link_in
from booking_platform.notifications.testing import SmtpSink, smtp_delivery

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
GUEST_EMAIL = "lena.fischer@guest.example"


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    check_prerequisites()
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    from playwright.sync_api import sync_playwright

    from apps.guest_site.tests.browser import ARGS, CHROMIUM

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, settings, tmp_path) -> Iterator[tuple[str, SmtpSink]]:
    """The demo hotels behind a live server, photos served from a temporary media folder, mail to aiosmtpd."""
    settings.MEDIA_ROOT, settings.SERVE_MEDIA, settings.SITE_URL = tmp_path, True, live_server.url
    cache.clear()
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    with smtp_delivery(settings) as sink:
        yield live_server.url, sink


def open_page(chromium, viewport: Viewport):
    context = chromium.new_context(
        viewport={"width": viewport.width, "height": viewport.height}, is_mobile=viewport.mobile,
        has_touch=viewport.mobile, device_scale_factor=2 if viewport.mobile else 1, locale="en-GB",
    )  # fmt: skip
    return context, context.new_page()


def plain_stay(today: date) -> date:
    """A Monday two weeks or more ahead, clear of the demo's Christmas minimum stay."""
    day = today + timedelta(days=14)
    day += timedelta(days=(7 - day.weekday()) % 7)
    while date(day.year, 12, 18) <= day <= date(day.year, 12, 31) or (day.month == 1 and day.day <= 2):
        day += timedelta(days=14)
    return day


def accessible(page) -> None:
    assert axe_violations(page) == []


def search(page, base: str, *, where: str, check_in: date, nights: int) -> None:
    page.goto(base + "/")
    page.select_option("#id_where", label=where)
    page.fill("#id_check_in", check_in.isoformat())
    page.fill("#id_check_out", (check_in + timedelta(days=nights)).isoformat())
    page.get_by_role("button", name="Search", exact=True).click()


def fill_guest(page) -> None:
    page.fill("#id_first_name", "Lena")
    page.fill("#id_last_name", "Fischer")
    page.fill("#id_email", GUEST_EMAIL)
    page.fill("#id_phone", "+49 30 1234567")
    page.select_option("#id_country", "DE")
    page.fill("#id_special_requests", "Late arrival, around 22:00.")


def wait_for_mail(sink: SmtpSink, address: str, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sink.to(address):
            return sink.to(address)[-1]
        time.sleep(0.1)
    raise AssertionError(f"no mail to {address}")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=lambda v: v.name)
def test_the_whole_journey(chromium, site, viewport: Viewport) -> None:
    base, sink = site
    check_in = plain_stay(local_today(active_properties()[0].timezone))
    context, page = open_page(chromium, viewport)
    shots = Shots(page, f"{viewport.name}/journey")
    reference = book_through_the_site(page, shots, base, check_in)
    mail = wait_for_mail(sink, GUEST_EMAIL)
    assert reference in mail["Subject"]
    link = link_in(mail.get_body(("plain",)).get_content(), base)
    context.close()

    context, page = open_page(chromium, viewport)  # another device: only the email's link lets it in
    shots.page = page
    page.goto(link)
    page.wait_for_url(f"**/bookings/{reference}/")
    assert page.locator(".status").inner_text() == "Confirmed"
    shots.take("manage-from-email")
    accessible(page)
    change_and_cancel(page, shots, reference, check_in)
    context.close()


def book_through_the_site(page, shots: Shots, base: str, check_in: date) -> str:
    """Search, pick, send the details once with errors and once right, then confirm the hold."""
    page.goto(base + "/")
    shots.take("home")
    accessible(page)
    search(page, base, where="Hotel Demo Berlin", check_in=check_in, nights=2)
    page.locator("details.nights summary").first.click()
    shots.take("results")
    accessible(page)
    page.get_by_role("button", name="Book Standard Double, Flexible").click()
    page.get_by_role("button", name="Continue").click()
    assert page.locator("#id_email_error").inner_text() == "This field is required."
    shots.take("details-invalid")
    accessible(page)
    fill_guest(page)
    shots.take("details-filled")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/bookings/*/")
    assert re.fullmatch(r"\(1[45]:\d\d\)", page.locator("[data-countdown]").inner_text())  # 15 minutes, ticking
    shots.take("hold")
    accessible(page)
    page.get_by_role("button", name="Confirm booking").click()
    page.wait_for_url("**/confirmed/")
    shots.take("confirmed")
    accessible(page)
    return page.locator("[data-reference]").inner_text()


def change_and_cancel(page, shots: Shots, reference: str, check_in: date) -> None:
    page.get_by_role("link", name="Change dates or guests").click()
    page.fill("#id_check_out", (check_in + timedelta(days=3)).isoformat())
    shots.take("change")
    page.get_by_role("button", name="Change booking").click()
    page.wait_for_url(f"**/bookings/{reference}/")
    assert "Your booking is changed. New total:" in page.locator(".messages").inner_text()
    assert find_booking(reference).check_out == check_in + timedelta(days=3)
    shots.take("changed")
    page.get_by_role("link", name="Cancel booking").click()
    assert page.locator(".fee").inner_text() == "Cancelling now is free of charge."
    shots.take("cancel")
    accessible(page)
    page.get_by_role("button", name="Yes, cancel my booking").click()
    page.wait_for_url(f"**/bookings/{reference}/")
    assert page.locator(".status").inner_text() == "Cancelled"
    assert find_booking(reference).status == "cancelled"
    shots.take("cancelled")


def test_a_room_taken_meanwhile_and_an_expired_hold(chromium, site, settings) -> None:
    base, _ = site
    hotel = active_properties()[0]
    check_in = plain_stay(local_today(hotel.timezone))
    context, page = open_page(chromium, DESKTOP)
    shots = Shots(page, "desktop/errors-availability")
    search(page, base, where="Hotel Demo Berlin", check_in=check_in, nights=1)
    page.get_by_role("button", name="Book Junior Suite, Flexible").click()
    fill_guest(page)
    _take_all_suites(hotel.id, check_in)  # two other guests book both suites while this one types
    page.get_by_role("button", name="Continue").click()
    alert = page.get_by_role("alert").first
    assert alert.inner_text().startswith("Sorry, this room was just taken for some of your nights.")
    shots.take("slot-taken")
    accessible(page)
    page.get_by_role("link", name="Search again for these dates").click()
    assert "Sold out on" in page.locator("#rt-" + str(_suite_id(hotel.id))).locator("xpath=..").inner_text()
    shots.take("search-again")

    settings.BOOKING_HOLD_MINUTES = 2 / 60  # a two-second hold
    page.get_by_role("button", name="Book Standard Double, Flexible").click()
    fill_guest(page)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/bookings/*/")
    page.wait_for_selector("text=Your hold has lapsed", timeout=15000)  # the countdown reloads the page at 0:00
    shots.take("hold-expired")
    accessible(page)
    context.close()


def test_wrong_reference_and_throttled_probing(chromium, site, settings) -> None:
    base, _ = site
    context, page = open_page(chromium, PHONE)
    shots = Shots(page, "phone/errors-lookup")
    page.goto(base + "/")
    page.get_by_role("link", name="My booking").click()
    page.get_by_role("button", name="Find booking").click()
    assert page.locator("#id_reference_error").inner_text() == "This field is required."
    shots.take("lookup-empty")
    for attempt in range(settings.GUEST_LOOKUP_ATTEMPTS):
        page.fill("#id_reference", f"K7M-4QX-9TR{'ABCDE'[attempt]}")
        page.fill("#id_email", "probe@attacker.example")
        page.get_by_role("button", name="Find booking").click()
        assert page.get_by_role("alert").inner_text() == (
            "We could not find a booking with these details. Check the reference and the email."
        )
        if attempt == 0:
            shots.take("wrong-reference")
            accessible(page)
    page.fill("#id_reference", "K7M-4QX-9TRF")
    page.fill("#id_email", "probe@attacker.example")
    page.get_by_role("button", name="Find booking").click()
    assert page.get_by_role("alert").inner_text() == "Too many attempts. Please wait a few minutes and try again."
    shots.take("throttled")
    context.close()


def _suite_id(property_id: int) -> int:
    from apps.availability.interface import search

    any_day = local_today("Europe/Berlin") + timedelta(days=30)
    offers = search(property_id=property_id, check_in=any_day, check_out=any_day + timedelta(days=1))
    return next(offer.room_type.id for offer in offers if offer.room_type.name == "Junior Suite")


def _take_all_suites(property_id: int, night: date) -> None:
    from apps.bookings.interface import Actor, RoomRequest, StayRequest, book
    from apps.customers.interface import upsert_customer

    suite = _suite_id(property_id)
    from apps.availability.interface import search

    plan = next(
        offer.rate_plan_id
        for offer in search(property_id=property_id, check_in=night, check_out=night + timedelta(days=1))
        if offer.room_type.id == suite and offer.rate_plan_name == "Flexible"
    )
    other = upsert_customer(email="first@guest.example", first_name="Ida", last_name="Early")
    rooms = [RoomRequest(room_type_id=suite, rate_plan_id=plan, adults=2)] * 2
    request = StayRequest(property_id=property_id, customer_id=other.id, check_in=night,
                          check_out=night + timedelta(days=1), rooms=rooms, channel="web")  # fmt: skip
    book(request=request, actor=Actor.guest(other.id))


def test_the_language_menu(chromium, site) -> None:
    base, _ = site
    context, page = open_page(chromium, PHONE)
    shots = Shots(page, "phone/language")
    page.goto(base + "/")
    page.select_option("#language", "de")  # site.js submits the menu on change
    page.wait_for_selector("h1:has-text('Finden Sie Ihr Zimmer')")
    assert page.locator("html").get_attribute("lang") == "de"
    shots.take("deutsch")
    accessible(page)
    context.close()
