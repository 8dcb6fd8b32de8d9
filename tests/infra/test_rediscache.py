"""The Redis cache backend keeps one redis client (Django builds one per operation): a real
redis-server, used from several threads at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from bench import stack
from dashboard.rediscache import RedisCache
from dashboard.settings.base import redis_cache

pytestmark = pytest.mark.infra


def test_one_client_serves_every_operation_from_every_thread(tmp_path):
    redis = stack.start_redis(tmp_path / "redis")
    try:
        config = redis_cache(f"redis://127.0.0.1:{redis.port}/4")
        assert config["BACKEND"] == "dashboard.rediscache.RedisCache"
        cache = RedisCache(str(config["LOCATION"]), {"KEY_PREFIX": "t", "OPTIONS": config["OPTIONS"]})

        cache.set("none", (None,), 30)
        with ThreadPoolExecutor(max_workers=6) as pool:
            list(pool.map(lambda n: cache.set(f"k{n}", [n, "x"], 30), range(12)))
            read = list(pool.map(lambda n: cache.get(f"k{n}"), range(12)))
        assert read == [[n, "x"] for n in range(12)]
        assert cache.get("none") == (None,)
        assert cache.get("missing") is None
        cache.delete_many(["k0", "k1"])
        assert cache.get("k0") is None
        assert cache.get("k2") == [2, "x"]
        assert cache._cache.get_client() is cache._cache.get_client(write=True)
    finally:
        redis.stop()
