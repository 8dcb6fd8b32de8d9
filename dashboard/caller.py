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
    A read the account banner and the page both need is one read of the page's one gather (the
    same name), never a fetch kept on the caller.
    """

    auth: Auth
    user_id: str

    # TEMPORARY (issue 13, until billing is split): billing's invoice fetch still shared per request.
    _shared: dict[str, concurrency.Task[Any]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def shared(self, name: str, fetch: Callable[[], T]) -> concurrency.Task[T]:
        with self._lock:
            task = self._shared.get(name)
            if task is None:
                task = concurrency.submit(fetch)
                self._shared[name] = task
        return cast("concurrency.Task[T]", task)
