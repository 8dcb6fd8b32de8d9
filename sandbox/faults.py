"""Fault injection: latency, error answers and hangs.

Settings give the defaults (``SANDBOX_LATENCY_MS``, ``SANDBOX_FAULT_RATE``,
``SANDBOX_HANG_SECONDS``); ``configure()`` overrides them at runtime for the whole process (the
live server thread included); one request can ask for a fault with the ``X-Sandbox-Fault`` /
``X-Sandbox-Latency`` headers or the ``_sandbox_fault`` / ``_sandbox_latency`` query parameters.

Kinds: ``500`` (JSON), ``502`` (HTML page), ``503`` (JSON), ``429`` (plain text), ``malformed``
(200 with broken JSON), ``hang`` (sleeps past the client's timeout, then answers normally) and
``timeout`` (sleeps, then a 504 HTML page).
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse

from sandbox import conf, ratelimit

KINDS = ("500", "502", "503", "429", "malformed", "hang", "timeout")
# What a random fault picks from, like a flaky upstream behind a proxy.
RANDOM_MIX = ("500", "502", "malformed", "hang")
_HANG_STEP = 0.05

_lock = threading.Lock()
# Set to stop every hang at once (tests' teardown, server shutdown).
shutdown = threading.Event()


@dataclass
class _Overrides:
    latency_ms: int | None = None
    fault_rate: float | None = None
    hang_seconds: float | None = None
    forced: str | None = None
    paths: list[str] = field(default_factory=list)


_state = _Overrides()


def configure(
    *,
    latency_ms: int | None = None,
    fault_rate: float | None = None,
    hang_seconds: float | None = None,
    forced: str | None = None,
    paths: list[str] | None = None,
) -> None:
    """Override the settings for this process. ``paths`` limits faults to path prefixes."""
    if forced is not None and forced not in KINDS:
        raise ValueError(f"unknown fault {forced!r}; expected one of {KINDS}")
    with _lock:
        if latency_ms is not None:
            _state.latency_ms = int(latency_ms)
        if fault_rate is not None:
            _state.fault_rate = float(fault_rate)
        if hang_seconds is not None:
            _state.hang_seconds = float(hang_seconds)
        if forced is not None:
            _state.forced = forced or None
        if paths is not None:
            _state.paths = list(paths)
    shutdown.clear()


def reset() -> None:
    """Back to the settings' defaults; wakes any hanging request."""
    global _state
    shutdown.set()
    with _lock:
        _state = _Overrides()


def current() -> dict[str, Any]:
    with _lock:
        return {
            "latency_ms": _state.latency_ms if _state.latency_ms is not None else conf.latency_ms(),
            "fault_rate": _state.fault_rate if _state.fault_rate is not None else conf.fault_rate(),
            "hang_seconds": _hang_seconds_locked(),
            "forced": _state.forced,
            "paths": list(_state.paths),
            "kinds": list(KINDS),
        }


def _hang_seconds_locked() -> float:
    return _state.hang_seconds if _state.hang_seconds is not None else conf.hang_seconds()


def hang_seconds() -> float:
    with _lock:
        return _hang_seconds_locked()


def _applies(path: str, paths: list[str]) -> bool:
    return not paths or any(path.startswith(prefix) for prefix in paths)


def _request_value(request: HttpRequest, header: str, param: str) -> str | None:
    value = request.headers.get(header) or request.GET.get(param)
    return value.strip() if value else None


def _delay(request: HttpRequest, settings: dict[str, Any]) -> None:
    raw = _request_value(request, "X-Sandbox-Latency", "_sandbox_latency")
    try:
        latency = int(raw) if raw is not None else settings["latency_ms"]
    except ValueError:
        latency = settings["latency_ms"]
    if latency > 0:
        time.sleep(min(latency, 60_000) / 1000)


def choose(request: HttpRequest) -> str | None:
    """Apply latency, then the fault this request should get (or None)."""
    settings = current()
    requested = _request_value(request, "X-Sandbox-Fault", "_sandbox_fault")
    applies = _applies(request.path, settings["paths"])
    if applies or requested:
        _delay(request, settings)
    if requested in KINDS:
        return requested
    if not applies:
        return None
    forced: str | None = settings["forced"]
    if forced:
        return forced
    if settings["fault_rate"] > 0 and random.random() < settings["fault_rate"]:
        return random.choice(RANDOM_MIX)
    return None


def hang() -> None:
    """Sleep in small steps; stop early on shutdown or when the hang time is lowered."""
    started = time.monotonic()
    while not shutdown.is_set() and time.monotonic() - started < hang_seconds():
        time.sleep(_HANG_STEP)


_HTML_502 = (
    "<html><head><title>502 Bad Gateway</title></head><body>"
    "<center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
)
_HTML_504 = (
    "<html><head><title>504 Gateway Time-out</title></head><body>"
    "<center><h1>504 Gateway Time-out</h1></center><hr><center>nginx</center></body></html>"
)


def respond(kind: str) -> HttpResponse | None:
    """The faulty answer, or None when the real answer should follow (``hang``)."""
    if kind == "hang":
        hang()
        return None
    if kind == "timeout":
        hang()
        return HttpResponse(_HTML_504, status=504, content_type="text/html")
    if kind == "500":
        return HttpResponse(
            b'{"error":"Internal error occured, we\'re on it!"}',
            status=500,
            content_type="application/json",
        )
    if kind == "503":
        return HttpResponse(
            b'{"error":"upstream provider returned an error, please retry later"}',
            status=503,
            content_type="application/json",
        )
    if kind == "502":
        return HttpResponse(_HTML_502, status=502, content_type="text/html")
    if kind == "429":
        return ratelimit.too_many()
    return HttpResponse(b'{"user": {"id": "us-', status=200, content_type="application/json")
