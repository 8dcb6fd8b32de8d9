"""Every page with figures at 375 px, in both languages and both themes: each amount lies inside
the screen on one line and nothing clips it or hides it behind a horizontal scroll; axe finds
nothing on the pages outside the navigation (test_quality.py checks those at 375 px); with
``TEST_SCREENSHOTS=1`` a screenshot of each phone layout is kept as a test artifact."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.helpers import keep_screenshot, nav_paths, settle, sign_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts")) / "screenshots"
PHONE = 375

# Each text node that shows an amount (a currency sign next to a digit), wherever it is on the
# page: its box must lie inside 0–375 px, on one line, and no ancestor that can scroll or clip
# may be wider inside than outside (no amount behind a horizontal scroll).
FIGURE_PROBLEMS = (Path(__file__).parent / "figures_on_screen.js").read_text()

PAGES = [
    ("overview", "/", True),
    ("invoices", "/invoices/", True),
    ("invoice-detail", None, True),
    ("billing", "/billing/", True),
    ("usage", "/usage/", True),
    ("reports", "/invoices/reports/", True),
    ("catalog", "/catalog/", True),
    ("estimator", "/catalog/estimate/?size-M=2&size-XL=12&addon-postgresql-starter-512=1", True),
    ("tokens", "/api-tokens/", False),
    ("ssh-keys", "/ssh-keys/", False),
]


def _phone_page(browser, upstream, *, language: str, theme: str, account: str = "teamadmin"):
    host = upstream.url.split("//", 1)[1].split(":")[0]
    context = browser.new_context(viewport={"width": PHONE, "height": 800})
    page = context.new_page()
    # Chosen before the sign-in, so it keeps them (and says "signed in" in that language).
    context.add_cookies(
        [
            {"name": "dashboard_theme", "value": theme, "domain": host, "path": "/"},
            {"name": "dashboard_language", "value": language, "domain": host, "path": "/"},
        ]
    )
    sign_in_browser(context, upstream.url, account)
    return context, page


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_figure_is_on_a_375px_screen(upstream, browser, language, theme):
    context, page = _phone_page(browser, upstream, language=language, theme=theme)
    page.goto(f"{upstream.url}/invoices/")
    detail_path = page.locator("#invoice-results tbody a[href*='/invoices/']").first.get_attribute("href")
    problems: list[str] = []
    for slug, path, has_amounts in PAGES:
        response = page.goto(f"{upstream.url}{path or detail_path}")
        settle(page)
        assert response is not None and response.status == 200, slug
        result = page.evaluate(FIGURE_PROBLEMS, PHONE)
        if has_amounts and result["seen"] == 0:
            problems.append(f"{slug}: no amount found on the page")
        problems += [f"{slug}: {problem}" for problem in result["problems"]]
        if path not in nav_paths():  # the navigation's pages pass axe at 375 px in test_quality.py
            axe = Axe().run(page)
            if axe.violations_count:
                problems.append(f"{slug}: {axe.generate_report()}")
        keep_screenshot(page, ARTIFACTS / f"phone-{slug}-{language}-{theme}.png")
    context.close()
    assert problems == [], "\n".join(problems)


CHART_LABELS = r"""
() => [...document.querySelectorAll("#spend svg text")]
  .filter((text) => getComputedStyle(text).display !== "none")
  .map((text) => {
    const box = text.getBoundingClientRect();
    return {text: text.textContent.trim(), left: box.left, right: box.right, top: box.top, height: box.height,
            month: !text.classList.contains("chart-tick")};
  })
"""


@pytest.mark.parametrize("months", [12, 24, 36])
def test_the_spend_chart_labels_are_legible_on_a_phone(upstream, browser, months):
    context, page = _phone_page(browser, upstream, language="fr", theme="light")
    page.goto(f"{upstream.url}/invoices/reports/?months={months}")
    labels = page.evaluate(CHART_LABELS)
    month_labels = [label for label in labels if label["month"]]
    assert 3 <= len(month_labels) <= 7, month_labels
    assert len(labels) - len(month_labels) == 4  # the amount ticks above zero
    for label in labels:
        # A 12 px font draws a box about 14 px tall; the old scaled-down drawing gave about 5 px.
        assert label["height"] >= 11, label
        assert label["left"] >= 0 and label["right"] <= PHONE, label
    for before, after in itertools.pairwise(month_labels):
        assert before["right"] + 4 <= after["left"], (before, after)
    context.close()
