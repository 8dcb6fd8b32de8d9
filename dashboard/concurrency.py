"""Run upstream reads side by side, so a page waits for its slowest call, not for their sum.

One ``gather`` per page, called by the view: services expose their reads as named zero-argument
callables (a ``Reads``: the calls, and the pure function that builds the page's value from their
results), the view puts every read its page needs in one dict (the account banner's too, through
``page_gather``) and gathers them once. Nothing below a view calls ``gather`` or ``submit``
(``tests/dashboard/test_one_gather.py``), so gathers never nest. A read named the same by two
parts of a page (``user``, ``invoices``) is one read, made once.

The pool is safe at any size: nobody ever waits for a task that has not started. A ``Task`` is
started in the pool, but whoever needs its result first and finds it still queued runs it in their
own thread instead. A waiting thread therefore only waits for work another thread is doing, and a
page (even one whose parts start parts of their own, or share the banner's reads) cannot deadlock
the pool, however small it is. A larger pool only adds concurrency.
"""

from __future__ import annotations

import contextvars
import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar, cast

from django.http import HttpRequest

from dashboard.upstream.errors import Unauthorized

T = TypeVar("T")

POOL_SIZE = int(os.environ.get("UPSTREAM_THREADS", "32"))
_executor = ThreadPoolExecutor(max_workers=POOL_SIZE, thread_name_prefix="upstream")


class Task(Generic[T]):
    """``fn`` run once, in the pool or by the first thread that needs it while it is still queued."""

    def __init__(self, fn: Callable[[], T]) -> None:
        self._fn = fn
        self._context = contextvars.copy_context()  # the request id follows the work
        self._lock = threading.Lock()
        self._started = False
        self._done = threading.Event()
        self._value: T | None = None
        self._error: BaseException | None = None

    def start(self) -> Task[T]:
        _executor.submit(self._run)
        return self

    def _run(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        try:
            self._value = self._context.run(self._fn)
        except BaseException as exc:  # handed to whoever asks for the result
            self._error = exc
        finally:
            self._done.set()

    def result(self, timeout: float | None = None) -> T:
        self._run()  # still queued: run it here rather than wait for a pool thread
        if not self._done.wait(timeout):
            raise TimeoutError
        if self._error is not None:
            raise self._error
        return cast(T, self._value)  # set by _run, since it raised nothing


def submit(fn: Callable[[], T]) -> Task[T]:
    """Start ``fn`` in the pool with the caller's context (request id) carried over."""
    return Task(fn).start()


def gather(**calls: Callable[[], Any]) -> dict[str, Any]:
    """Run each zero-argument callable concurrently; return each result or the exception raised.

    Exceptions are returned, not raised, so one failing part of a page does not blank the rest,
    except ``Unauthorized``: the session is over, so the whole page is, and it is raised (the
    middleware sends the person to sign in again).
    """
    tasks = {name: submit(fn) for name, fn in calls.items()}
    results: dict[str, Any] = {}
    for name, task in tasks.items():
        try:
            results[name] = task.result()
        except Exception as exc:
            results[name] = exc
    for result in results.values():
        if isinstance(result, Unauthorized):
            raise result
    return results


Results = Mapping[str, Any]  # each read's value, or the exception it raised


@dataclass(frozen=True)
class Reads(Generic[T]):
    """What a part of a page needs: named reads (not started), and the pure function that builds
    the part from the page's results. The view adds ``calls`` to its one gather, then ``build``s."""

    calls: dict[str, Callable[[], Any]]
    build: Callable[[Results], T]


def value(result: T | Exception) -> T:
    """A read's value, or its exception raised (for a read the page cannot do without)."""
    if isinstance(result, Exception):
        raise result
    return result


class Alongside(Protocol):
    """Reads that ride along with a page's own, hung on the request before the view (the account
    banner): their calls join the page's gather, and they take their results from it."""

    @property
    def calls(self) -> Mapping[str, Callable[[], Any]]: ...

    def take(self, results: Results) -> None: ...


def page_gather(request: HttpRequest, **calls: Callable[[], Any]) -> dict[str, Any]:
    """A page's one gather: its own reads and those of ``request.alongside`` (set before the view
    on full pages: the account banner). A read both name the same is made once."""
    alongside: Alongside | None = getattr(request, "alongside", None)
    results = gather(**{**alongside.calls, **calls}) if alongside is not None else gather(**calls)
    if alongside is not None:
        alongside.take(results)
    return results
