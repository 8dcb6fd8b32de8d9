"""The platform's regions (AUTH ``/regions``), shared by every page that looks across regions.

The list describes the platform, not the account, so it is kept once per process for an hour
(in memory: it is small, and emptying the shared cache should not cost every page a round trip),
and a page that needs it does not wait for one more upstream call per view.
"""

from __future__ import annotations

import threading
import time

from dashboard.upstream import account
from dashboard.upstream.http import Auth

KEEP_SECONDS = 3600

_lock = threading.Lock()
_kept: tuple[float, list[account.Region]] | None = None


def regions(*, auth: Auth) -> list[account.Region]:
    global _kept
    with _lock:
        if _kept is not None and time.monotonic() - _kept[0] < KEEP_SECONDS:
            return _kept[1]
    found = account.region_list(auth=auth)
    if found:
        with _lock:
            _kept = (time.monotonic(), found)
    return found


def forget() -> None:
    """For tests: the next call asks the upstream again."""
    global _kept
    with _lock:
        _kept = None
