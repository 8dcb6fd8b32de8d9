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
    page.keyboard.press("ArrowDown")  # system → light
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    # The choice is saved by the form the select submits: reload once its answer set the cookie
    # (waiting for network silence could end before the submission started).
    for _ in range(100):
        if {"name": "dashboard_theme", "value": "light"}.items() <= _theme_cookie(page).items():
            break
        page.wait_for_timeout(50)
    page.wait_for_load_state()
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "light"


def _theme_cookie(page) -> dict:
    return next((c for c in page.context.cookies() if c["name"] == "dashboard_theme"), {})
