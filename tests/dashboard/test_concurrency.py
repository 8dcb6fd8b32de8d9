"""gather: side by side, one failing part does not blank the rest, a dead session ends the page, and
the pool cannot deadlock whatever its size."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from dashboard import concurrency
from dashboard.upstream import errors


@pytest.fixture
def pool_of_one(monkeypatch):
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-upstream")
    monkeypatch.setattr(concurrency, "_executor", executor)
    yield executor
    executor.shutdown(wait=False, cancel_futures=True)


def _run_with_deadline(fn, seconds=5.0):
    outcome = {}
    thread = threading.Thread(target=lambda: outcome.setdefault("value", fn()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "deadlocked"
    return outcome["value"]


def test_each_part_gives_its_result_or_its_error():
    failure = errors.ServerError("boom", status=503)

    def broken():
        raise failure

    results = concurrency.gather(one=lambda: 1, two=broken)
    assert results == {"one": 1, "two": failure}


def test_a_dead_session_ends_the_whole_page():
    def refused():
        raise errors.Unauthorized("Not signed in.")

    with pytest.raises(errors.Unauthorized):
        concurrency.gather(one=lambda: 1, two=refused)


def test_a_dead_session_is_not_an_upstream_error():
    assert not isinstance(errors.Unauthorized("x"), errors.UpstreamError)
    assert isinstance(errors.Unauthorized("x"), errors.UpstreamFailure)


def test_parts_run_side_by_side():
    started = time.monotonic()
    concurrency.gather(**{f"p{i}": (lambda: time.sleep(0.3)) for i in range(4)})
    assert time.monotonic() - started < 1.0  # 4 x 0.3 s one after the other would be 1.2 s


def test_nested_gathers_finish_on_a_pool_of_one_thread(pool_of_one):
    def region(name):
        return lambda: name

    def usage():
        return sorted(concurrency.gather(a=region("a"), b=region("b")).values())

    results = _run_with_deadline(lambda: concurrency.gather(usage=usage, other=lambda: "x"))
    assert results == {"usage": ["a", "b"], "other": "x"}


def test_parts_waiting_for_one_shared_read_finish_on_a_pool_of_one_thread(pool_of_one):
    """As the banner's user read: started by whichever part needs it first, from a pool thread."""
    calls = []
    lock = threading.Lock()
    shared = {}

    def user():
        calls.append("user")
        return "alice"

    def user_once():
        with lock:
            if "user" not in shared:
                shared["user"] = concurrency.submit(user)
        return shared["user"].result()

    results = _run_with_deadline(lambda: concurrency.gather(first=user_once, second=user_once))
    assert results == {"first": "alice", "second": "alice"}
    assert calls == ["user"]
