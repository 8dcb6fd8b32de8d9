"""A person builds an estimate in a real browser: it updates as they type, without a reload."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_updates_the_estimate_as_you_type_and_keeps_a_shareable_url(upstream, page):
    page.goto(f"{upstream.url}/catalog/estimate/")
    # A marker on the window survives only if the page is never reloaded.
    page.evaluate("window.__noReload = true")
    expect(page.get_by_text("Enter a number of containers or addons to see the estimate.")).to_be_visible()

    page.get_by_label("M", exact=True).fill("2")
    total = page.locator("#estimate-total")
    expect(total).to_have_text("€28.80")
    expect(page).to_have_url(re.compile(r"/catalog/estimate/\?size-M=2$"))

    page.locator("summary", has_text="PostgreSQL").click()
    page.get_by_label("PostgreSQL Starter 512M").fill("1")
    expect(total).to_have_text("€36.00")
    expect(page.locator("#estimate")).to_contain_text("PostgreSQL Starter 512M")
    expect(page).to_have_url(re.compile(r"size-M=2&addon-postgresql-starter-512=1$"))
    expect(page.locator("#estimate-link")).to_have_value(re.compile(r"size-M=2&addon-postgresql-starter-512=1$"))

    # A negative count is refused next to its field; what was typed stays.
    small = page.get_by_label("S", exact=True)
    small.fill("-4")
    expect(page.locator("#count-size-s-errors")).to_have_text("A count cannot be negative.")
    expect(small).to_have_attribute("aria-invalid", "true")
    expect(small).to_have_value("-4")
    expect(total).to_have_text("€36.00")
    small.fill("1")
    expect(page.locator("#count-size-s-errors")).to_have_text("")
    expect(small).not_to_have_attribute("aria-invalid", "true")
    expect(total).to_have_text("€43.20")
    assert page.evaluate("window.__noReload") is True

    # The shared link rebuilds the same estimate from scratch.
    shared = page.locator("#estimate-link").input_value()
    page.goto(shared)
    expect(page.locator("#estimate-total")).to_have_text("€43.20")
    wcag = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    result = Axe().run(page, options=wcag)
    assert result.violations_count == 0, result.generate_report()


def test_it_estimates_without_javascript(upstream, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{upstream.url}/catalog/estimate/")
    page.get_by_label("M", exact=True).fill("2")
    page.get_by_label("XL", exact=True).fill("99999")
    page.get_by_role("button", name="Update the estimate").click()
    page.wait_for_url(re.compile(r"size-M=2"))
    expect(page.locator("#estimate-total")).to_have_text("€28.80")
    expect(page.get_by_text("That is too many: enter 1,000 at most.")).to_be_visible()
    expect(page.get_by_label("XL", exact=True)).to_have_value("99999")
    context.close()


def test_it_filters_the_catalog_by_category_without_a_reload(upstream, page):
    page.goto(f"{upstream.url}/catalog/")
    page.evaluate("window.__noReload = true")
    tabs = page.get_by_role("navigation", name="Addon categories")
    tabs.get_by_role("link", name=re.compile(r"^Email")).click()
    expect(page).to_have_url(re.compile(r"/catalog/\?category=email$"))
    expect(page.get_by_role("heading", name="Mailpost")).to_be_visible()
    expect(page.get_by_role("heading", name="PostgreSQL")).to_have_count(0)
    current = tabs.locator("[aria-current='page']")
    expect(current).to_contain_text("Email")
    expect(current).to_be_focused()
    assert page.evaluate("window.__noReload") is True
    page.go_back()
    expect(page).to_have_url(re.compile(r"/catalog/$"))
    expect(page.get_by_role("heading", name="PostgreSQL")).to_be_visible()
