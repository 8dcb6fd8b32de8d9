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
