"""Small helpers shared by tests (importable as ``tests.helpers``)."""

from __future__ import annotations


def demo(key: str):
    """The sandbox's demo account with that key (ordinary, twofa, github, suspended, teamadmin, empty)."""
    from sandbox.demo import DEMO_ACCOUNTS

    for account in DEMO_ACCOUNTS:
        if account.key == key:
            return account
    raise KeyError(key)
