"""Keyboard only: the skip link, the navigation, and actions done without a mouse."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.helpers import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _focused(page) -> str:
    script = "() => { const e = document.activeElement; "
    script += "return (e.getAttribute('href') || e.name || e.id || e.textContent || '').trim(); }"
    return page.evaluate(script)


def _at(path: str):
    return lambda url: urlsplit(url).path == path


def test_it_signs_in_and_navigates_with_the_keyboard_only(upstream, page):
    page.goto(f"{upstream.url}/signin/?method=token")
    page.keyboard.press("Tab")
    assert _focused(page) == "#main", "the skip link comes first"
    page.keyboard.press("Enter")
    # Tab until the token field, type, and submit with Enter.
    for _ in range(15):
        page.keyboard.press("Tab")
        if _focused(page) == "api_token":
            break
    assert _focused(page) == "api_token"
    page.keyboard.type(demo("ordinary").api_token)
    page.keyboard.press("Enter")
    page.wait_for_url(_at("/"))

    # Reach the Invoices link in the navigation by Tab and follow it with Enter.
    for _ in range(30):
        page.keyboard.press("Tab")
        if _focused(page) == "/invoices/":
            break
    assert _focused(page) == "/invoices/"
    page.keyboard.press("Enter")
    page.wait_for_url(_at("/invoices/"))

    # Every focusable element shows a visible focus ring.
    page.keyboard.press("Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_it_changes_the_theme_with_the_keyboard(upstream, page):
    page.goto(f"{upstream.url}/signin/")
    page.focus("#theme-select")
    # The select submits its form: a navigation to the same page, saved; wait for it to end (network
    # silence could come before the submission started, and an evaluate during it has no page).
    with page.expect_navigation():
        page.keyboard.press("ArrowDown")  # system → light
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
