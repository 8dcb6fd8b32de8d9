"""The upstream's 60 requests/minute limit: a sliding 60 s window per identity.

The limit comes from ``SANDBOX_RATE_LIMIT`` (0 = off) unless ``configure(limit=...)`` overrides
it for this process; ``reset()`` forgets every window and the override.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from sandbox import conf

WINDOW_SECONDS = 60.0

_lock = threading.Lock()
_windows: dict[str, deque[float]] = {}
_override: int | None = None


def configure(*, limit: int | None) -> None:
    """Set the per-minute limit for this process (0 = off, None = back to settings)."""
    global _override
    with _lock:
        _override = limit
        _windows.clear()


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
            return False
        window.append(now)
        return True
