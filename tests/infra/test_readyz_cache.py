"""/readyz checks the shared cache (Redis) when one is configured, and answers 503, never 500, when
it is down: a real redis-server, started and then stopped, and a port where nothing listens."""

from __future__ import annotations

import time

import pytest

from bench import stack
from dashboard.settings.base import redis_cache

pytestmark = pytest.mark.infra


def test_it_checks_redis_and_answers_503_once_redis_stops(upstream, client, settings, tmp_path):
    redis = stack.start_redis(tmp_path / "redis")
    try:
        settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{redis.port}/3")}

        up = client.get("/readyz")
        assert up.status_code == 200
        assert up.json() == {"status": "ok", "checks": {"regional": True, "auth": True, "cache": True}}

        redis.stop()
        started = time.monotonic()
        down = client.get("/readyz")
        elapsed = time.monotonic() - started
    finally:
        redis.stop()

    assert down.status_code == 503
    assert down["Content-Type"] == "application/json"
    assert down.json() == {"status": "unavailable", "checks": {"regional": True, "auth": True, "cache": False}}
    assert elapsed < 5, elapsed


def test_it_answers_503_when_redis_was_never_there(upstream, client, settings):
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{stack.free_port()}/3")}

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"regional": True, "auth": True, "cache": False}}


def test_without_a_shared_cache_there_is_no_cache_check(upstream, client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"regional": True, "auth": True}}
