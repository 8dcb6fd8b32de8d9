"""In Chromium, with JavaScript on (htmx swaps) and off (plain links): filter, page, export."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.helpers import keep_screenshot, sign_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts")) / "screenshots"


def _sign_in(page, base: str, key: str) -> None:
    sign_in_browser(page.context, base, key)


def _filter_and_page(page, base: str) -> None:
    page.goto(f"{base}/activity/?per_page=10")
    page.get_by_role("navigation", name="Kinds of activity").get_by_role("link", name="Billing").click()
    page.wait_for_url(re.compile(r".*/activity/\?kind=billing&per_page=10$"))
    assert page.get_by_role("link", name="Billing", exact=True).last.get_attribute("aria-current") == "page"
    page.get_by_role("link", name="Next").click()
    page.wait_for_url(re.compile(r".*/activity/\?kind=billing&per_page=10&page=2$"))
    page.get_by_text("Page 2 of").wait_for()
    rows = page.locator("table.activity-table tbody tr")
    assert rows.count() == 10
    assert all("Payment of" in text for text in rows.all_inner_texts())
    page.get_by_role("link", name="Previous").click()
    page.wait_for_url(re.compile(r".*/activity/\?kind=billing&per_page=10$"))


def test_it_filters_and_pages_with_javascript(browser_signed_in, upstream):
    page = browser_signed_in("teamadmin")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.headers.get("hx-request", "")) if "/activity/" in r.url else None)
    page.goto(f"{upstream.url}/authentication/")
    page.get_by_role("link", name="All security activity").click()
    page.wait_for_url(re.compile(r".*/activity/\?kind=security$"))
    page.get_by_text("Signed in from 203.0.113.99").wait_for()
    _filter_and_page(page, upstream.url)
    assert "true" in requests  # the kind links and paging were swapped in by htmx
    page.go_back()
    page.wait_for_url(re.compile(r".*page=2$"))


def test_it_filters_and_pages_without_javascript(browser, upstream):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _sign_in(page, upstream.url, "teamadmin")
    _filter_and_page(page, upstream.url)
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("as CSV")).click()
    with open(info.value.path(), encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    assert lines[0].startswith("time,kind,type,")
    assert len(lines) > 11 and all(",billing," in line for line in lines[1:])
    context.close()


def _signed_in_page(browser, base: str, key: str, *, width: int, theme: str, language: str):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    host = base.split("//", 1)[1].split(":")[0]
    context.add_cookies(  # chosen before the sign-in, which keeps them
        [
            {"name": "dashboard_theme", "value": theme, "domain": host, "path": "/"},
            {"name": "dashboard_language", "value": language, "domain": host, "path": "/"},
        ]
    )
    _sign_in(page, base, key)
    return context, page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_it_looks_right_in_both_themes_and_widths(upstream, browser, language):
    """Screenshots to look at: the Activity page, the security card and the payment history."""
    shots = {
        "ordinary": (("activity", "/activity/"), ("security", "/authentication/")),
        "suspended": (("billing", "/billing/"),),
    }
    host = upstream.url.split("//", 1)[1].split(":")[0]
    for key, pages in shots.items():  # one sign-in per account; each theme and width on its session
        context, page = _signed_in_page(browser, upstream.url, key, width=1280, theme="light", language=language)
        for theme in ("light", "dark"):
            context.add_cookies([{"name": "dashboard_theme", "value": theme, "domain": host, "path": "/"}])
            for width in (1280, 375):
                page.set_viewport_size({"width": width, "height": 900})
                for slug, path in pages:
                    page.goto(f"{upstream.url}{path}")
                    assert page.locator("html").get_attribute("lang") == language
                    assert page.evaluate("document.documentElement.dataset.theme") == theme
                    assert page.evaluate("document.documentElement.scrollWidth") <= width
                    shot = ARTIFACTS / f"{slug}-{key}-{language}-{theme}-{width}.png"
                    keep_screenshot(page, shot)
        context.close()
