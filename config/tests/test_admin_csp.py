"""The staff admin works under the Content-Security-Policy: Chromium reports no violation and the admin's JS runs.

Run: .venv/bin/pytest config/tests/test_admin_csp.py -m browser
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
PASSWORD = "csp-check-horse-battery"


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"needs Chromium at {CHROMIUM} (.ci/run installs Debian's chromium)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        yield browser
        browser.close()


def test_the_admin_runs_under_the_content_security_policy(chromium, live_server) -> None:
    get_user_model().objects.create_superuser("cspstaff", "cspstaff@hotel.example", PASSWORD)
    context = chromium.new_context()
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )

    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "cspstaff")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/auth/user/add/")
    add_form_js = page.evaluate("typeof window.django === 'object' && typeof window.django.jQuery === 'function'")
    page.goto(f"{live_server.url}/admin/auth/user/")
    styled = page.evaluate("getComputedStyle(document.querySelector('#header')).display")
    context.close()

    assert refused == []
    assert add_form_js is True  # admin/js/jquery.init.js ran
    assert styled == "flex"  # admin/css/base.css applied
