"""The one read cache: per user, None is a value, and a write drops exactly the names it names."""

from __future__ import annotations

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
