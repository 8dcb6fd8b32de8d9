"""The one read cache: per user, None is a value, and a write drops exactly the names it names."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from dashboard import readcache
from dashboard.caller import Caller


def _caller(user_id: str) -> Caller:
    return Caller(auth=None, user_id=user_id)  # type: ignore[arg-type]  # the cache never calls upstream


def test_it_fetches_once_and_keeps_none_as_a_value():
    calls: list[str] = []

    def fetch() -> None:
        calls.append("fetch")

    alice = _caller("us-alice")
    assert readcache.cached(alice, "profile", fetch) is None
    assert readcache.cached(alice, "profile", fetch) is None
    assert calls == ["fetch"]


def test_it_never_serves_one_persons_read_to_another():
    alice, bob = _caller("us-alice"), _caller("us-bob")
    assert readcache.cached(alice, "keys", lambda: ["alice's key"]) == ["alice's key"]
    assert readcache.cached(bob, "keys", lambda: ["bob's key"]) == ["bob's key"]
    assert readcache.cached(alice, "keys", lambda: ["not fetched"]) == ["alice's key"]


def test_forget_drops_the_named_reads_only():
    alice = _caller("us-alice")
    readcache.cached(alice, "keys", lambda: "old keys")
    readcache.cached(alice, "tokens", lambda: "old tokens")
    readcache.forget("us-alice", "keys")  # by user id, as the middleware does
    assert readcache.cached(alice, "keys", lambda: "new keys") == "new keys"
    assert readcache.cached(alice, "tokens", lambda: "new tokens") == "old tokens"


def test_the_keys_follow_one_scheme():
    assert readcache.key(_caller("us-alice"), "keys") == "user:us-alice:keys"
    assert readcache.key("us-alice", "keys") == "user:us-alice:keys"
    assert readcache.key(readcache.PUBLIC, "regions") == "public:regions"


def test_a_public_read_is_one_for_everyone_and_apart_from_a_persons():
    assert readcache.cached(readcache.PUBLIC, "sizes", lambda: ["S", "M"]) == ["S", "M"]
    assert readcache.cached(readcache.PUBLIC, "sizes", lambda: ["not fetched"]) == ["S", "M"]
    assert readcache.cached(_caller("us-alice"), "sizes", lambda: ["S", "M", "XL"]) == ["S", "M", "XL"]
    readcache.forget(readcache.PUBLIC, "sizes")
    assert readcache.cached(readcache.PUBLIC, "sizes", lambda: ["fresh"]) == ["fresh"]
    assert readcache.cached(_caller("us-alice"), "sizes", lambda: ["not fetched"]) == ["S", "M", "XL"]


def test_single_flight_asks_once_for_many_waiting_readers():
    calls: list[str] = []

    def slow_fetch() -> str:
        calls.append("fetch")
        time.sleep(0.2)
        return "regions"

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(
            pool.map(lambda _: readcache.cached(readcache.PUBLIC, "regions", slow_fetch, single_flight=True), range(6))
        )
    assert answers == ["regions"] * 6
    assert calls == ["fetch"]


def test_reads_in_the_pool_share_one_cache_client():
    """Django keeps a cache client per thread and context: a read in a pool task would open its own
    connection to Redis before every upstream call. The read cache keeps one for the process."""
    from dashboard import concurrency

    clients = concurrency.gather(**{f"read{i}": readcache._cache for i in range(4)})
    assert len({id(client) for client in clients.values()}) == 1
    assert clients["read0"] is readcache._cache()
