"""The one read cache: upstream reads, reused for a few seconds.

One key scheme. A person's reads are kept under their user id (``user:<id>:<name>``), so one
person's data is never served to another. What describes the platform rather than an account (the
regions, the public catalog) is kept once for everyone under ``public:<name>`` (``PUBLIC``). A
value is stored wrapped in a tuple, so ``None`` is a value too (a missing billing profile), not a
miss. A write drops the names it changes with ``forget``, next to the write.

``single_flight=True`` (for reads many people make at once when the entry expires, as the public
ones): one thread per key asks the upstream, the others wait for its answer and read it from the
cache. Striped locks keep the memory bounded whatever the number of keys.

Reads run in the pool of ``concurrency``, each in a copy of the request's context. Django keeps a
cache client per thread and per context, so every read would make its own client and open its own
connection to Redis (milliseconds before each upstream call starts, and again to store its answer).
The read cache uses one client for the whole process instead: the Redis client's connection pool
(and the local-memory cache, in tests) is safe to share between threads.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Callable
from typing import Final, TypeVar

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, BaseCache, caches
from django.core.signals import setting_changed
from django.dispatch import receiver

from dashboard.caller import Caller

T = TypeVar("T")


class Public:
    """Whose read it is when it is nobody's: the platform's own data, the same for everyone."""

    def __repr__(self) -> str:
        return "PUBLIC"


PUBLIC: Final = Public()

Who = Caller | str | Public  # a caller, a user id, or PUBLIC

_LOCKS = [threading.Lock() for _ in range(64)]
_shared: BaseCache | None = None
_shared_lock = threading.Lock()


def _cache() -> BaseCache:
    """The process's one client of the default cache, shared by every thread and context."""
    global _shared
    if _shared is None:
        with _shared_lock:
            if _shared is None:
                _shared = caches.create_connection(DEFAULT_CACHE_ALIAS)
    return _shared


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs: object) -> None:
    """Tests that point the cache elsewhere get a client of the new one."""
    global _shared
    if setting == "CACHES":
        _shared = None


def key(who: Who, name: str) -> str:
    """The cache key of a read: ``user:<id>:<name>``, or ``public:<name>`` for ``PUBLIC``."""
    if isinstance(who, Public):
        return f"public:{name}"
    user_id = who.user_id if isinstance(who, Caller) else who
    return f"user:{user_id}:{name}"


def cached(who: Who, name: str, fetch: Callable[[], T], ttl: int | None = None, *, single_flight: bool = False) -> T:
    """``fetch()``, reused for ``ttl`` seconds (``UPSTREAM_READ_CACHE_SECONDS`` by default)."""
    hit: tuple[T] | None = _cache().get(key(who, name))
    if hit is not None:
        return hit[0]
    if not single_flight:
        value = fetch()
        store(who, name, value, ttl)
        return value
    with _LOCKS[zlib.crc32(key(who, name).encode()) % len(_LOCKS)]:
        hit = _cache().get(key(who, name))  # whoever held the lock may have just fetched it
        if hit is not None:
            return hit[0]
        value = fetch()
        store(who, name, value, ttl)
        return value


def store(who: Who, name: str, value: object, ttl: int | None = None) -> None:
    """Put a value a write has just answered, so the next read needs no fetch."""
    _cache().set(key(who, name), (value,), settings.UPSTREAM_READ_CACHE_SECONDS if ttl is None else ttl)


def peek(who: Who, name: str) -> tuple[object] | None:
    """The cached value wrapped in a tuple, or None when nothing is cached (never fetches)."""
    hit: tuple[object] | None = _cache().get(key(who, name))
    return hit


def forget(who: Who, *names: str) -> None:
    """Drop cached reads after a write changed them (or, for ``PUBLIC``, to read them afresh)."""
    _cache().delete_many([key(who, name) for name in names])
