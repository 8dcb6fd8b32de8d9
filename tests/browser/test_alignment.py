"""Forms and rows line up at 1280 px: an error under one field never moves its neighbour, the
filter button sits on the inputs' row, invoice rows share one baseline, and a collapsed addon
group shows a disclosure marker."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from tests.helpers import keep_screenshot, sign_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts")) / "screenshots"

TOPS = "(selectors) => selectors.map((s) => Math.round(document.querySelector(s).getBoundingClientRect().top))"
MIDDLES = """(selectors) => selectors.map((s) => {
  const box = document.querySelector(s).getBoundingClientRect();
  return Math.round(box.top + box.height / 2);
})"""


def _desktop(browser, upstream, account: str | None = "teamadmin"):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    if account:
        sign_in_browser(context, upstream.url, account)
    return context, page


def test_an_error_under_to_does_not_move_from(upstream, browser):
    context, page = _desktop(browser, upstream)
    page.goto(f"{upstream.url}/usage/?preset=custom&from=2026-11-20&to=2026-11-10")
    assert page.get_by_text("The last day must be on or after the first day.").is_visible()
    labels = page.evaluate(TOPS, ["label[for=id_from]", "label[for=id_to]"])
    inputs = page.evaluate(TOPS, ["#id_from", "#id_to"])
    middles = page.evaluate(MIDDLES, ["#id_from", "#usage-range button[type=submit]"])
    assert labels[0] == labels[1] and inputs[0] == inputs[1], (labels, inputs)
    assert abs(middles[0] - middles[1]) <= 1, middles
    context.close()


def test_the_invoice_filters_share_one_label_row_and_one_input_row(upstream, browser):
    context, page = _desktop(browser, upstream)
    page.goto(f"{upstream.url}/invoices/?month_from=2026-13")
    assert page.get_by_text("Enter a month as YYYY-MM, for example 2024-03.").is_visible()
    fields = ["state", "month_from", "month_to", "per_page"]
    labels = page.evaluate(TOPS, [f"label[for=id_{name}]" for name in fields])
    inputs = page.evaluate(TOPS, [f"#id_{name}" for name in fields])
    heights = page.evaluate(
        "(names) => names.map((n) => Math.round(document.querySelector('#id_' + n).getBoundingClientRect().height))",
        fields,
    )
    middles = page.evaluate(MIDDLES, ["#id_state", "#invoice-results form button[type=submit]"])
    assert len(set(labels)) == 1, labels
    assert len(set(inputs)) == 1, inputs
    assert len(set(heights)) == 1, heights
    assert abs(middles[0] - middles[1]) <= 1, middles
    context.close()


def test_invoice_rows_put_text_and_buttons_on_one_baseline(upstream, browser):
    context, page = _desktop(browser, upstream)
    page.goto(f"{upstream.url}/invoices/")
    bottoms = page.evaluate(
        """() => {
          const row = document.querySelector("#invoice-results tbody tr");
          const textBottom = (element) => {
            const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
              const node = walker.currentNode;
              if (node.textContent.trim() && !node.parentElement.closest(".visually-hidden")) {
                const range = document.createRange();
                range.selectNodeContents(walker.currentNode);
                const box = range.getBoundingClientRect();
                const size = parseFloat(getComputedStyle(walker.currentNode.parentElement).fontSize);
                return box.bottom - size * 0.25;  // about the baseline, whatever the font size
              }
            }
          };
          return [...row.children].map(textBottom);
        }"""
    )
    assert max(bottoms) - min(bottoms) <= 1.5, bottoms
    context.close()


def test_the_estimator_keeps_each_count_input_in_place_when_a_neighbour_errs(upstream, browser):
    context, page = _desktop(browser, upstream, account=None)
    page.goto(f"{upstream.url}/catalog/estimate/?size-S=-4")
    assert page.locator("#count-size-s-errors").inner_text() == "A count cannot be negative."
    inputs = page.evaluate(TOPS, ["#count-size-s", "#count-size-m"])
    assert inputs[0] == inputs[1], inputs
    context.close()


def test_a_collapsed_addon_group_shows_a_disclosure_marker(upstream, browser):
    context, page = _desktop(browser, upstream, account=None)
    page.goto(f"{upstream.url}/catalog/estimate/")
    summary = page.locator("details.addon-group:not([open]) > summary").first.element_handle()
    marker = summary.evaluate(
        "(s) => { const m = getComputedStyle(s, '::before'); return [m.width, m.borderRightWidth, m.transform]; }"
    )
    assert marker[0] == "8px" and marker[1] == "2px", marker
    summary.click()
    page.wait_for_timeout(400)  # the marker turns in 0.15 s
    opened = summary.evaluate("(s) => getComputedStyle(s, '::before').transform")
    assert opened != marker[2]
    context.close()


def test_the_french_estimate_shows_its_subtotals_and_its_total_at_1280(upstream, browser):
    context, page = _desktop(browser, upstream, account=None)
    host = upstream.url.split("//", 1)[1].split(":")[0]
    context.add_cookies([{"name": "dashboard_language", "value": "fr", "domain": host, "path": "/"}])
    page.goto(f"{upstream.url}/catalog/estimate/?size-M=2&size-XL=12&addon-postgresql-starter-512=1")
    wrap = page.locator("#estimate .table-wrap")
    assert wrap.evaluate("(w) => w.scrollWidth <= w.clientWidth")
    panel = page.locator(".estimate-panel").bounding_box()
    total = page.locator("#estimate-total")
    assert total.inner_text() == "727,20\u00a0€"
    box = total.bounding_box()
    assert total.is_visible() and panel["x"] <= box["x"] and box["x"] + box["width"] <= panel["x"] + panel["width"]
    for subtotal in page.locator("#estimate tbody td.cell-figure").all():
        sub = subtotal.bounding_box()
        assert sub["x"] + sub["width"] <= panel["x"] + panel["width"], subtotal.inner_text()
    keep_screenshot(page, ARTIFACTS / "estimator-fr-light-desktop-estimate.png", full_page=False)
    context.close()


def test_the_invoice_filters_do_not_overlap(upstream, browser):
    context, page = _desktop(browser, upstream)
    page.goto(f"{upstream.url}/invoices/")
    boxes = page.evaluate(
        """(names) => names.map((n) => {
          const box = document.querySelector('#id_' + n).getBoundingClientRect();
          return [box.left, box.right];
        })""",
        ["state", "month_from", "month_to", "per_page"],
    )
    for (_, right), (left, _) in itertools.pairwise(boxes):
        assert right + 8 <= left, boxes
    context.close()
