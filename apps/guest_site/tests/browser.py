"""Chromium driven by Playwright for the guest-site browser tests: Debian's browser, never a download.

Screenshots of every step go to var/screenshots/guest/<viewport>/ for a person to look at.
axe-core (npm, node_modules/axe-core) is injected into each page; serious or critical findings fail.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "guest"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    mobile: bool


PHONE = Viewport("phone", 390, 844, True)
DESKTOP = Viewport("desktop", 1366, 900, False)


def missing(reason: str) -> None:
    """Skip with the reason on the SQLite pass; with REQUIRE_SERVICES=1 (CI) a missing browser fails."""
    if os.environ.get("REQUIRE_SERVICES", "") in {"1", "true", "yes"}:
        pytest.fail(f"required service unavailable: {reason}")
    pytest.skip(reason)


def check_prerequisites() -> None:
    if not CHROMIUM.exists():
        missing(f"needs Debian's chromium at {CHROMIUM} (apt-get install -y chromium)")
    if not AXE.exists():
        missing(f"needs axe-core at {AXE} (npm ci)")


class Shots:
    """Numbered screenshots per test and viewport: 01-home.png, 02-results.png, ..."""

    def __init__(self, page, folder: str) -> None:
        self.page, self.folder, self.count = page, SHOTS / folder, 0
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()

    def take(self, name: str) -> None:
        self.count += 1
        self.page.screenshot(path=str(self.folder / f"{self.count:02d}-{name}.png"), full_page=True)


def axe_violations(page) -> list[str]:
    """Serious and critical axe-core findings on the page as it is now ("rule: target" strings)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through DevTools, not as an inline <script>: the site's CSP stays on and untouched.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.filter(v => ["serious", "critical"].includes(v.impact))
                .flatMap(v => v.nodes.map(n => v.id + ": " + n.target.join(" ")));
        }"""
    )
    return list(found)


def link_in(text: str, base: str) -> str:
    match = re.search(re.escape(base) + r"/bookings/[A-Z0-9-]+/\?key=[0-9a-f]{32}", text)
    assert match, text
    return match.group(0)
