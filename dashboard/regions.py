"""The platform's regions (AUTH ``/regions``), shared by every page that looks across regions.

The list describes the platform, not the account, so it is kept once for everyone for an hour in
the one read cache (``public:regions``), and a page that needs it rarely waits for it.
"""

from __future__ import annotations

from dashboard import readcache
from dashboard.upstream import account
from dashboard.upstream.http import Auth

KEEP_SECONDS = 3600
NAME = "regions"


def regions(*, auth: Auth) -> list[account.Region]:
    found = readcache.cached(
        readcache.PUBLIC, NAME, lambda: account.region_list(auth=auth), KEEP_SECONDS, single_flight=True
    )
    if not found:
        readcache.forget(readcache.PUBLIC, NAME)  # an empty answer is not kept: the next page asks again
    return found


def forget() -> None:
    """For tests: the next call asks the upstream again."""
    readcache.forget(readcache.PUBLIC, NAME)
