"""The platform's regions (AUTH ``/regions``), shared by every page that looks across regions.

The list describes the platform, not the account, so it is kept once for everyone for an hour in
the one read cache (``public:regions``), and a page that needs it rarely waits for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from dashboard import readcache
from dashboard.concurrency import Reads, Results, value
from dashboard.upstream import account
from dashboard.upstream.errors import Unauthorized
from dashboard.upstream.http import Auth

T = TypeVar("T")

KEEP_SECONDS = 3600
NAME = "regions"

# Each region with what was read there: the value, or the exception raised.
PerRegion = list[tuple[account.Region, Any]]


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


def per_region(*, auth: Auth, name: str, read: Callable[[account.Region], T]) -> Reads[PerRegion]:
    """``read`` in every region, for the page's one gather.

    When the regions are known (kept an hour for everyone: nearly always), one read per region
    (``<name>:<region>``), side by side. Otherwise the regions' answer decides the reads, so a
    second round is unavoidable: it is made inside one read (``<name>``), the regions first, then
    each region one after the other. ``build`` gives each region with its value or exception, or
    raises when the regions could not be read (an empty list: the platform named none)."""
    kept = readcache.peek(readcache.PUBLIC, NAME)
    known: list[account.Region] = list(kept[0]) if kept is not None and isinstance(kept[0], list) else []
    if known:

        def one(region: account.Region) -> Callable[[], T]:
            return lambda: read(region)

        return Reads(
            calls={f"{name}:{region.name}": one(region) for region in known},
            build=lambda results: [(region, results[f"{name}:{region.name}"]) for region in known],
        )

    def every_region() -> PerRegion:
        return [(region, _attempt(read, region)) for region in regions(auth=auth)]

    def build(results: Results) -> PerRegion:
        found: PerRegion = value(results[name])
        return found

    return Reads(calls={name: every_region}, build=build)


def _attempt(read: Callable[[account.Region], T], region: account.Region) -> T | Exception:
    try:
        return read(region)
    except Unauthorized:
        raise  # the session is over: the whole page is
    except Exception as exc:  # one region failing is reported with that region, as gather does
        return exc
