"""An in-memory, thread-safe ring buffer of the requests the sandbox answered.

Each entry: ``{at, method, host, region, path, route, identity, status}``, where ``host`` is
``auth``, ``api`` or ``billing`` and ``route`` the path template (``/v1/account/invoices/:id``).
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import UTC, datetime
from typing import Any

_lock = threading.Lock()
_entries: deque[dict[str, Any]] = deque(maxlen=5000)


def record(**entry: Any) -> None:
    entry.setdefault("at", datetime.now(UTC).isoformat(timespec="milliseconds"))
    with _lock:
        _entries.append(entry)


def entries() -> list[dict[str, Any]]:
    with _lock:
        return [dict(entry) for entry in _entries]


def clear() -> None:
    with _lock:
        _entries.clear()
