"""The sign-in throttle holds when many attempts arrive at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_throttles_concurrent_attempts(upstream, settings):
    settings.SIGNIN_THROTTLE_ATTEMPTS = 5

    def attempt(n: int) -> int:
        client = Client(REMOTE_ADDR=f"10.20.{n}.1")
        return client.post(
            "/signin/", {"method": "password", "login": "demo-ordinary", "password": "wrong"}
        ).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(attempt, range(24)))
    reached_upstream = len(upstream.calls(route="/v1/tokens", method="POST"))
    assert statuses.count(400) + statuses.count(429) == 24
    assert statuses.count(429) >= 24 - 8 - 5, statuses
    # Attempts that raced past the check are bounded by the pool size, not by the number sent.
    assert reached_upstream <= 5 + 8
    late = Client(REMOTE_ADDR="10.99.0.1").post(
        "/signin/", {"method": "password", "login": "demo-ordinary", "password": "wrong"}
    )
    assert late.status_code == 429
