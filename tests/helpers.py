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


def cold_page_calls(client, upstream, path: str, **headers) -> tuple[int, list[str]]:
    """The page's status and every upstream call it made with the read cache empty (the user read
    kept at sign-in too), as sorted ``METHOD host route [region]`` lines."""
    from django.core.cache import cache

    cache.clear()
    upstream.clear()
    response = client.get(path, **headers)
    calls = sorted(
        f"{c['method']} {c['host']} {c['route']}" + (f" {c['region']}" if c.get("region") else "")
        for c in upstream.calls()
    )
    return response.status_code, calls
