"""Switchable behaviours: the other plausible answers the real platform may give.

The sandbox answers as the published documentation shows by default. Each name below switches one
endpoint to another answer that the platform's own clients (scalingo.js, go-scalingo, the CLI)
suggest it may really send, so the dashboard is tested against both. A behaviour is on when it is
named in the ``SANDBOX_BEHAVIOURS`` setting or environment variable (comma-separated), or switched
on at runtime with ``enable()`` (tests: the ``sandbox_behaviour`` fixture) or
``PUT /sandbox/_control/behaviours {"enabled": [...]}``.

Register a new behaviour by adding it to ``KNOWN`` with a one-line description; code that
imitates it asks ``behaviours.active("name")``.
"""

from __future__ import annotations

import threading

from sandbox import conf

# name -> what the sandbox does differently when it is on.
KNOWN: dict[str, str] = {}

_lock = threading.Lock()
_enabled: set[str] = set()


def register(name: str, description: str) -> str:
    KNOWN[name] = description
    return name


def _from_settings() -> set[str]:
    raw = conf._raw("SANDBOX_BEHAVIOURS")
    if not raw:
        return set()
    items = raw if isinstance(raw, list | tuple | set) else str(raw).split(",")
    return {str(item).strip() for item in items if str(item).strip()}


def _register_all() -> None:
    """Behaviours register when the module that imitates them is imported; the URLs import them all
    (a test may switch one on before any request has loaded the views)."""
    import sandbox.urls  # noqa: F401


def active(name: str) -> bool:
    if name not in KNOWN:
        _register_all()
    if name not in KNOWN:
        raise KeyError(f"unknown sandbox behaviour {name!r}; known: {sorted(KNOWN)}")
    with _lock:
        if name in _enabled:
            return True
    return name in _from_settings()


def enable(*names: str) -> None:
    if any(n not in KNOWN for n in names):
        _register_all()
    unknown = [n for n in names if n not in KNOWN]
    if unknown:
        raise KeyError(f"unknown sandbox behaviour(s) {unknown}; known: {sorted(KNOWN)}")
    with _lock:
        _enabled.update(names)


def disable(*names: str) -> None:
    with _lock:
        _enabled.difference_update(names)


def reset() -> None:
    with _lock:
        _enabled.clear()


def current() -> dict[str, object]:
    with _lock:
        runtime = set(_enabled)
    return {
        "enabled": sorted(runtime | _from_settings()),
        "known": dict(sorted(KNOWN.items())),
    }
