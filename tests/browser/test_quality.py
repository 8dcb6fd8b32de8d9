"""Every page, in both themes, at 1280 px and 375 px, in English and French: axe-core finds
nothing and the console stays clean (with ``TEST_SCREENSHOTS=1``, a screenshot of each is kept as a
test artifact: ``make screenshots``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from dashboard.templatetags.dashboard import NAVIGATION
from tests.helpers import keep_screenshot, settle, sign_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts")) / "screenshots"
WIDTHS = {"desktop": 1280, "mobile": 375}


def _signed_in_pages() -> list[tuple[str, str]]:
    return [(name.split(":")[-1], reverse(name)) for name, _label in NAVIGATION]


def _check(page, url: str, shot: Path, problems: list[str]) -> None:
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: console.append(str(error)))
    response = page.goto(url)
    settle(page)
    if response is None or response.status >= 400:
        problems.append(f"{url}: HTTP {response.status if response else 'no response'}")
    result = Axe().run(page)
    if result.violations_count:
        problems.append(f"{url} ({shot.stem}): {result.generate_report()}")
    if console:
        problems.append(f"{url} ({shot.stem}): console errors {console}")
    keep_screenshot(page, shot)


# One test per language, theme and width (eight of some fifteen seconds each, rather than two of a
# minute), so the test workers share them out evenly.
@pytest.mark.parametrize("width_name", list(WIDTHS))
@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_passes_axe_in_both_themes_and_widths(upstream, browser, language, theme, width_name):
    problems: list[str] = []
    host = upstream.url.split("//", 1)[1].split(":")[0]
    context = browser.new_context(viewport={"width": WIDTHS[width_name], "height": 900})
    cookies = [
        {"name": "dashboard_theme", "value": theme, "domain": host, "path": "/"},
        {"name": "dashboard_language", "value": language, "domain": host, "path": "/"},
    ]
    context.add_cookies(cookies)
    page = context.new_page()
    _check(page, f"{upstream.url}/signin/", ARTIFACTS / f"signin-{language}-{theme}-{width_name}.png", problems)
    _check(
        page,
        f"{upstream.url}/catalog/",
        ARTIFACTS / f"catalog-public-{language}-{theme}-{width_name}.png",
        problems,
    )
    sign_in_browser(context, upstream.url, "teamadmin")
    for slug, path in _signed_in_pages():
        _check(page, f"{upstream.url}{path}", ARTIFACTS / f"{slug}-{language}-{theme}-{width_name}.png", problems)
    context.close()
    assert problems == [], "\n\n".join(problems)


def test_every_page_fits_a_375px_screen(upstream, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    sign_in_browser(context, upstream.url, "teamadmin")
    overflowing = []
    for slug, path in _signed_in_pages():
        page.goto(f"{upstream.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            overflowing.append(f"{slug}: {width}px")
    context.close()
    assert overflowing == []
