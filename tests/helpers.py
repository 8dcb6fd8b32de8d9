"""Small helpers shared by tests (importable as ``tests.helpers``)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def demo(key: str):
    """The sandbox's demo account with that key (ordinary, twofa, github, suspended, teamadmin, empty)."""
    from sandbox.demo import DEMO_ACCOUNTS

    for account in DEMO_ACCOUNTS:
        if account.key == key:
            return account
    raise KeyError(key)


def nav_paths() -> list[str]:
    """The path of every page in the account navigation."""
    from django.urls import reverse

    from dashboard.templatetags.dashboard import NAVIGATION

    return [reverse(name) for name, _label in NAVIGATION]


# Once `page.goto` returns, the load event has fired (stylesheets, scripts, images). What can still
# change the page is a web font swapping in or an htmx request in flight; no page loads a part
# lazily. Waiting for those two, rather than for "networkidle" (half a second of silence after the
# last request, on every page), checks the same finished page.
_SETTLED = "document.fonts.status === 'loaded' && !document.querySelector('.htmx-request')"


def settle(page) -> None:
    """Wait until the page is as a person sees it once it has loaded: fonts in, no htmx request."""
    page.wait_for_function(_SETTLED)


def sign_in_browser(context, base_url: str, key: str) -> None:
    """Give a Playwright context the session of a demo account, without rendering the sign-in page.

    The session comes from the sign-in form's own POST, made by Django's test client against the
    same database; its cookies (the session, and the language and theme the sign-in applied from the
    account) go to the browser. The POST carries the cookies the browser already holds (a language
    or theme chosen before sign-in), as the browser's own would. Tests of the sign-in itself fill
    the form in the browser instead.
    """
    from django.test import Client

    client = Client()
    for cookie in context.cookies(base_url):
        client.cookies[cookie["name"]] = cookie["value"]
    response = client.post("/signin/", {"method": "token", "api_token": demo(key).api_token})
    assert response.status_code == 302, response.content[:2000]
    host = base_url.split("//", 1)[1].split(":")[0]
    cookies = [{"name": name, "value": c.value, "domain": host, "path": "/"} for name, c in client.cookies.items()]
    context.add_cookies(cookies)


def keep_screenshot(page, path: Path, *, full_page: bool = True) -> None:
    """A screenshot to look at, written under test-artifacts/ only with ``TEST_SCREENSHOTS=1``
    (``make screenshots``). No assertion reads one, and taking them is a third of what Chromium
    does in the suite, so ``make test`` leaves them out."""
    if os.environ.get("TEST_SCREENSHOTS") != "1":
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)


def cold_page_calls(client, upstream, path: str, **headers) -> tuple[int, list[str]]:
    """The page's status and every upstream call it made with the read cache empty (the user read
    kept at sign-in too), as sorted ``METHOD host route [region]`` lines."""
    from django.core.cache import cache

    cache.clear()
    upstream.clear()
    # Only the calls this page made: a call another test left in flight may land in the log too.
    request_id = uuid.uuid4().hex
    response = client.get(path, HTTP_X_REQUEST_ID=request_id, **headers)
    calls = sorted(
        f"{c['method']} {c['host']} {c['route']}" + (f" {c['region']}" if c.get("region") else "")
        for c in upstream.calls()
        if c.get("request_id") == request_id
    )
    return response.status_code, calls
