"""Two gunicorn instances behind nginx (round-robin) sharing one redis-server: a person signs in
through one and carries on through the other."""

from __future__ import annotations

import pytest
import redis

pytestmark = pytest.mark.infra


@pytest.fixture
def site(site_factory):
    return site_factory(prefix="", instances=2, redis=True)


def test_a_session_started_on_one_instance_carries_on_on_the_other(site):
    instances = {f"127.0.0.1:{service.port}" for service in site.instances}
    with site.client() as client:
        signed_in = site.sign_in(client)
        assert signed_in.status_code == 302, signed_in.text[:2000]
        signed_in_by = signed_in.headers["x-upstream"]

        served_by = []
        for _ in range(6):
            page = client.get(site.path("/"))
            assert page.status_code == 200, (page.headers["x-upstream"], page.headers.get("location"))
            assert "demo-teamadmin" in page.text
            served_by.append(page.headers["x-upstream"])

        assert set(served_by) == instances
        assert any(upstream != signed_in_by for upstream in served_by)

        # A form post works whichever instance gave the form and whichever takes the post.
        for theme in ("dark", "light", "dark"):
            response = site.post(client, "/preferences/theme/", {"theme": theme, "next": "/"})
            assert response.status_code == 302, response.text[:1000]

        signed_out = site.post(client, "/signout/", {})
        assert signed_out.status_code == 302
        for _ in range(2):
            assert client.get(site.path("/")).status_code == 302  # signed out on every instance


def test_sessions_and_cache_live_in_redis(site):
    store = redis.Redis(host="127.0.0.1", port=site.redis.port, db=1)
    store.flushdb()
    with site.client() as client:
        assert site.sign_in(client).status_code == 302
        session_id = client.cookies["dashboard_session"]
        assert client.get(site.path("/")).status_code == 200
    keys = [key.decode() for key in store.keys("*")]
    assert any(key.startswith("dashboard:") and key.endswith(session_id) for key in keys), keys
    assert any("session" not in key for key in keys), f"nothing cached besides the session: {keys}"
    store.close()
