"""The platform's regions (AUTH ``/regions``), shared by every page that looks across regions.

The list describes the platform, not the account, so it is cached once for everyone (an hour),
and a page that needs it does not wait for one more upstream round trip per view.
"""

from __future__ import annotations

from django.core.cache import cache

from dashboard.upstream import account
from dashboard.upstream.http import Auth

CACHE_KEY = "platform:regions"
CACHE_SECONDS = 3600


def regions(*, auth: Auth) -> list[account.Region]:
    cached: list[account.Region] | None = cache.get(CACHE_KEY)
    if cached is not None:
        return cached
    found = account.region_list(auth=auth)
    if found:
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return found
