"""The upstream's 60 requests/minute limit: a sliding 60 s window per identity.

The limit comes from ``SANDBOX_RATE_LIMIT`` (0 = off) unless ``configure(limit=...)`` overrides
it for this process; ``reset()`` forgets every window and the override.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque

from django.http import HttpResponse

from sandbox import behaviours, conf

RETRY_AFTER = behaviours.register(
    "rate-limit-retry-after",
    "A 429 carries Retry-After: the seconds until the window lets the identity in again (30 for a forced fault).",
)

WINDOW_SECONDS = 60.0

_lock = threading.Lock()
_windows: dict[str, deque[float]] = {}
_override: int | None = None
_waits: dict[str, int] = {}


def configure(*, limit: int | None) -> None:
    """Set the per-minute limit for this process (0 = off, None = back to settings)."""
    global _override
    with _lock:
        _override = limit
        _windows.clear()
        _waits.clear()


def reset() -> None:
    configure(limit=None)


def limit() -> int:
    with _lock:
        override = _override
    return conf.rate_limit() if override is None else override


def allow(identity: str, now: float | None = None) -> bool:
    """Count one request for ``identity``; False when it exceeds the window's limit."""
    current_limit = limit()
    if current_limit <= 0:
        return True
    now = time.monotonic() if now is None else now
    with _lock:
        window = _windows.setdefault(identity, deque())
        while window and window[0] <= now - WINDOW_SECONDS:
            window.popleft()
        if len(window) >= current_limit:
            _waits[identity] = max(1, math.ceil(window[0] + WINDOW_SECONDS - now))
            return False
        window.append(now)
        return True


def too_many(identity: str | None = None) -> HttpResponse:
    """The documented 429: plain text, and no ``Retry-After`` unless ``rate-limit-retry-after`` is on."""
    response = HttpResponse("Retry later", status=429, content_type="text/plain")
    if behaviours.active(RETRY_AFTER):
        with _lock:
            wait = _waits.get(identity or "", 30)
        response["Retry-After"] = str(wait)
    return response
