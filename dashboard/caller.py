"""Who a service acts for: the upstream credentials and the user id, never the HTTP request."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from dashboard import concurrency
from dashboard.upstream.http import Auth

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class Caller:
    """Set once per request by the sign-in decorator (``request.caller``) and passed to services.

    ``auth`` gives the upstream client its bearer; ``user_id`` keys the per-user caches and logs.
    A caller lives for one request: ``shared`` starts a read once per request, so the account
    banner and the page wait for the same fetch.
    """

    auth: Auth
    user_id: str
    _shared: dict[str, concurrency.Task[Any]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def shared(self, name: str, fetch: Callable[[], T]) -> concurrency.Task[T]:
        with self._lock:
            task = self._shared.get(name)
            if task is None:
                task = concurrency.submit(fetch)
                self._shared[name] = task
        return cast("concurrency.Task[T]", task)
