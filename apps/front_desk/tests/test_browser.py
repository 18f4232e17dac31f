"""The staff admin in a real browser (Playwright driving Debian's Chromium, never a download).

Logs in as front desk through the login form, checks a demo guest in on the board, books a walk-in
(price first, then book), then a manager opens the calendar and the reports. Screenshots of the
board, the booking page, the calendar and the reports go to var/screenshots/admin/ (git-ignored).
Run: .venv/bin/pytest apps/front_desk/tests/test_browser.py -m browser
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from apps.availability.interface import local_today, properties_by_ids
from apps.availability.models import NightRate, Property
from apps.bookings.interface import Actor, RoomRequest, StayRequest, book, find_booking
from apps.customers.interface import upsert_customer
from apps.front_desk.roles import sync_roles
from apps.front_desk.tests.conftest import ROLES
from booking_platform.notifications.testing import smtp_delivery
from booking_platform.staff.models import StaffMembership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "admin"
PASSWORD = "front-desk-browser-test-pw"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        reason = f"needs Debian's chromium at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("REQUIRE_SERVICES", "") in {"1", "true", "yes"}:
            pytest.fail(f"required service unavailable: {reason}")
        pytest.skip(reason)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def demo(live_server: Any, settings: Any) -> Iterator[dict]:
    """The demo hotel, one guest arriving today, a front desk user and a manager (real passwords)."""
    settings.SITE_URL = live_server.url
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    prop = Property.objects.order_by("pk").first()
    today = local_today(prop.timezone)
    # The demo's weekday restrictions (Sunday CTA, Saturday min stay) must not decide today's test.
    NightRate.objects.filter(night__gte=today, night__lte=today + timedelta(days=3)).update(
        closed_to_arrival=False, min_stay_arrival=None, min_stay_through=None
    )
    room_type = prop.room_types.order_by("sort_order", "pk").first()
    plan = prop.rate_plans.filter(parent__isnull=True).order_by("pk").first()
    guest = upsert_customer(email="demo.guest@guest.example", first_name="Dora", last_name="Demo", country="DE")
    arriving = book(
        request=StayRequest(
            property_id=prop.pk,
            customer_id=guest.id,
            check_in=today,
            check_out=today + timedelta(days=2),
            rooms=[RoomRequest(room_type_id=room_type.pk, rate_plan_id=plan.pk, adults=2)],
            channel="web",
        ),
        actor=Actor.guest(guest.id),
    )
    users = {}
    for username, role in (("desk", "Front desk"), ("manager", "Owner / manager")):
        user = User.objects.create_user(username, f"{username}@hotel.example", PASSWORD, is_staff=True)
        if not Group.objects.filter(name=role).exists():  # a transactional test elsewhere flushed the table
            sync_roles(django_apps)
        user.groups.add(Group.objects.get(name=role))
        StaffMembership.objects.create(user=user, property_id=prop.pk)
        users[username] = user
    SHOTS.mkdir(parents=True, exist_ok=True)
    with smtp_delivery(settings) as sink:
        yield {"url": live_server.url, "prop": prop, "arriving": arriving, "room_type": room_type, "smtp": sink}


def watch(page: Any, errors: list[str]) -> None:
    """Collect script/CSP errors and failed requests (a missing stylesheet would show up here)."""
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and "404" not in msg.text else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def test_front_desk_checks_in_a_guest_and_books_a_walk_in(chromium: Any, demo: dict) -> None:
    assert set(ROLES) >= {"Front desk", "Owner / manager"}
    base, prop = demo["url"], demo["prop"]
    context = chromium.new_context(viewport={"width": 1440, "height": 1000}, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    watch(page, errors)
    log_in(page, base, "desk")
    assert properties_by_ids([prop.pk])[prop.pk].name in page.inner_text("#site-name")  # single-property branding

    page.click("nav.staff-nav >> text=Front desk")
    arrivals = page.locator(f"#arrivals-{prop.pk}")
    assert "Dora Demo" in arrivals.inner_text()
    arrivals.locator("button[data-action=check_in]").first.click()
    page.wait_for_load_state()
    assert "checked in" in page.inner_text(".messagelist")
    assert "Dora Demo" in page.inner_text(f"#in-house-{prop.pk}")
    page.screenshot(path=str(SHOTS / "board.png"), full_page=True)

    page.click("nav.staff-nav >> text=New booking")
    page.select_option("#id_room_type", str(demo["room_type"].pk))
    today = local_today(prop.timezone)
    page.fill("#id_check_in", today.isoformat())
    page.fill("#id_check_out", (today + timedelta(days=1)).isoformat())
    for field, value in (("email", "walk.in@guest.example"), ("first_name", "Walter"), ("last_name", "Walkin")):
        page.fill(f"#id_{field}", value)
    page.click("input[name=price]")
    assert "Total" in page.inner_text("#quote")
    page.click("input[name=book]")
    page.wait_for_url(f"{base}/admin/bookings/booking/*/change/")
    reference = page.inner_text(".staff-card h2").split()[0]
    assert find_booking(reference).channel == "staff"
    assert "Walter Walkin" in page.inner_text(".staff-card")
    page.screenshot(path=str(SHOTS / "booking.png"), full_page=True)
    [mail] = demo["smtp"].to("walk.in@guest.example")
    assert reference in mail["Subject"]
    context.close()

    manager = chromium.new_context(viewport={"width": 1600, "height": 1000}, locale="en-GB")
    page = manager.new_page()
    watch(page, errors)
    log_in(page, base, "manager")
    page.goto(f"{base}/admin/availability/property/{prop.pk}/calendar/")
    assert page.locator("#ari-grid td").count() > 14
    page.screenshot(path=str(SHOTS / "calendar.png"), full_page=True)
    page.click("nav.staff-nav >> text=Reports")
    assert page.locator("svg.report-chart rect.report-bar").count() >= 28
    page.screenshot(path=str(SHOTS / "reports.png"), full_page=True)
    manager.close()
    assert errors == []  # no script or CSP errors on any page
