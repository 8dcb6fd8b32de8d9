"""Invoices and an invoice print cleanly in either theme: black on white, the figures and the
address, no navigation, no forms, no buttons."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import keep_screenshot, sign_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))

PRINTED = """() => {
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const colour = (el) => getComputedStyle(el).color;
  return {
    chrome: [...document.querySelectorAll(".topbar, .sidebar, .footer, form, button, .button")]
      .filter(shown).map((el) => el.outerHTML.slice(0, 80)),
    background: getComputedStyle(document.body).backgroundColor,
    cardBackgrounds: [...new Set([...document.querySelectorAll(".card, .table-wrap")].map(
      (el) => getComputedStyle(el).backgroundColor))],
    amountColours: [...new Set([...document.querySelectorAll("td.num")].filter(shown).map(colour))],
    amounts: [...document.querySelectorAll("td.num")].filter(shown).length,
  };
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_invoices_and_an_invoice_print_black_on_white(upstream, browser, theme):

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in_browser(page.context, upstream.url, "teamadmin")
    host = upstream.url.split("//", 1)[1].split(":")[0]
    context.add_cookies([{"name": "dashboard_theme", "value": theme, "domain": host, "path": "/"}])
    page.emulate_media(media="print")

    page.goto(f"{upstream.url}/invoices/")
    printed = page.evaluate(PRINTED)
    assert printed["chrome"] == []
    assert printed["background"] == "rgb(255, 255, 255)"
    assert printed["cardBackgrounds"] == ["rgb(255, 255, 255)"]
    assert printed["amountColours"] == ["rgb(0, 0, 0)"]
    assert printed["amounts"] == 40  # 20 invoices a page, two amounts each
    assert not page.get_by_text("Export these").is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(ARTIFACTS / f"invoices-{theme}.pdf"))

    page.goto(upstream.url + page.locator("#invoice-results tbody a[href*='/invoices/']").first.get_attribute("href"))
    printed = page.evaluate(PRINTED)
    assert printed["chrome"] == []
    assert printed["background"] == "rgb(255, 255, 255)"
    assert printed["amountColours"] == ["rgb(0, 0, 0)"]
    assert printed["amounts"] >= 4
    address = page.locator("address.invoice-address")
    assert address.is_visible()
    assert "15 avenue du Rhin" in address.inner_text() and "67100 Strasbourg" in address.inner_text()
    assert page.get_by_text("Total incl. VAT").first.is_visible()
    if os.environ.get("TEST_SCREENSHOTS") == "1":
        page.pdf(path=str(ARTIFACTS / f"invoice-detail-{theme}.pdf"))
    keep_screenshot(page, ARTIFACTS / "screenshots" / f"invoice-detail-print-{theme}.png")
    context.close()
