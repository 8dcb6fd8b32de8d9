"""Small helpers shared by tests (importable as ``tests.helpers``)."""

from __future__ import annotations


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
