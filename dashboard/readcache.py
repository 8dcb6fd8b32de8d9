"""The one read cache: a user's upstream reads, reused for a few seconds by that user only.

Every key holds the user id (``user:<id>:<name>``), so one person's data is never served to
another. A value is stored wrapped in a tuple, so ``None`` is a value too (a missing billing
profile), not a miss. A write drops the names it changes with ``forget``, next to the write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

from dashboard.caller import Caller

T = TypeVar("T")


def key(who: Caller | str, name: str) -> str:
    """The cache key of one user's read; ``who`` is a caller or a user id."""
    user_id = who.user_id if isinstance(who, Caller) else who
    return f"user:{user_id}:{name}"


def cached(caller: Caller | str, name: str, fetch: Callable[[], T], ttl: int | None = None) -> T:
    """``fetch()``, reused for ``ttl`` seconds (``UPSTREAM_READ_CACHE_SECONDS`` by default)."""
    hit = cache.get(key(caller, name))
    if hit is not None:
        value: T = hit[0]
        return value
    value = fetch()
    store(caller, name, value, ttl)
    return value


def store(caller: Caller | str, name: str, value: object, ttl: int | None = None) -> None:
    """Put a value a write has just answered, so the next read needs no fetch."""
    cache.set(key(caller, name), (value,), settings.UPSTREAM_READ_CACHE_SECONDS if ttl is None else ttl)


def peek(caller: Caller | str, name: str) -> tuple[object] | None:
    """The cached value wrapped in a tuple, or None when nothing is cached (never fetches)."""
    hit: tuple[object] | None = cache.get(key(caller, name))
    return hit


def forget(caller: Caller | str, *names: str) -> None:
    """Drop a user's cached reads after a write changed them."""
    cache.delete_many([key(caller, name) for name in names])
