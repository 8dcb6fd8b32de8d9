"""Run upstream reads side by side, so a page waits for its slowest call, not for their sum."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

_executor = ThreadPoolExecutor(max_workers=32, thread_name_prefix="upstream")


def submit(fn: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
    """Start ``fn`` in the pool with the caller's context (request id) carried over."""
    context = contextvars.copy_context()
    return _executor.submit(context.run, fn, *args, **kwargs)


def gather(**calls: Callable[[], Any]) -> dict[str, Any]:
    """Run each zero-argument callable concurrently; return each result or the exception raised.

    Exceptions are returned, not raised, so one failing part of a page does not blank the rest.
    """
    futures = {name: submit(fn) for name, fn in calls.items()}
    results: dict[str, Any] = {}
    for name, future in futures.items():
        try:
            results[name] = future.result()
        except Exception as exc:
            results[name] = exc
    return results
