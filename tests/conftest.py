"""Shared fixtures: the sandbox served over real HTTP by live_server, and signed-in clients."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.test import Client

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class Upstream:
    """The sandbox as the dashboard sees it: its base URL and what it was asked."""

    url: str

    def calls(self, *, route: str | None = None, method: str | None = None) -> list[dict]:
        from sandbox import requestlog

        entries = requestlog.entries()
        return [
            e
            for e in entries
            if (route is None or e.get("route") == route) and (method is None or e.get("method") == method)
        ]

    def clear(self) -> None:
        from sandbox import requestlog

        requestlog.clear()


@pytest.fixture
def upstream(live_server, settings, transactional_db) -> Iterator[Upstream]:
    """The seeded sandbox, with the dashboard's upstream URLs pointed at it."""
    from sandbox import behaviours, faults, requestlog

    call_command("sandbox_seed", verbosity=0)
    settings.SCALINGO_AUTH_URL = f"{live_server.url}/sandbox/auth"
    settings.SCALINGO_API_URL = f"{live_server.url}/sandbox/api/osc-fr1"
    settings.SCALINGO_BILLING_URL = f"{live_server.url}/sandbox/billing"
    # The file host on another origin than the API, as the platform's download.scalingo.com.
    files_origin = live_server.url.replace("://localhost:", "://127.0.0.1:")
    settings.SANDBOX_FILES_URL = f"{files_origin}/sandbox/files"
    settings.SCALINGO_DOWNLOAD_HOSTS = [files_origin]
    requestlog.clear()
    yield Upstream(url=live_server.url)
    faults.reset()
    behaviours.reset()


@pytest.fixture
def seeded_at(upstream):
    """``seeded_at(datetime(2026, 12, 1, 6, tzinfo=UTC))``: freezes the clock there (process-wide, so
    the pages and the sandbox see it too) and seeds the demo accounts again as on that day."""
    import time_machine
    from django.core.cache import cache

    from sandbox.models import User
    from sandbox.seed import seed_demo

    travellers = []

    def _at(moment):
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)
        User.objects.all().delete()
        seed_demo()
        cache.clear()

    yield _at
    for traveller in reversed(travellers):
        traveller.stop()


@pytest.fixture
def sandbox_behaviour(upstream):
    """``sandbox_behaviour("name", ...)`` switches sandbox behaviours on for this test only."""
    from sandbox import behaviours

    def _enable(*names: str) -> None:
        behaviours.enable(*names)

    yield _enable
    behaviours.reset()


from tests.helpers import demo as demo_account  # noqa: E402


def _field(account, name: str):
    return getattr(account, name)


def sign_in(client: Client, key: str) -> Client:
    """Sign a test client in with the demo account's API token, as a person would."""
    account = demo_account(key)
    response = client.post("/signin/", {"method": "token", "api_token": _field(account, "api_token")})
    assert response.status_code == 302, response.content[:2000]
    return client


@pytest.fixture
def signed_in(upstream, client) -> Client:
    """A browser-like client signed in as the ordinary demo account."""
    sign_in(client, "ordinary")
    upstream.clear()
    return client


@pytest.fixture
def signed_in_as(upstream, client):
    """``signed_in_as("teamadmin")`` signs the client in as that demo account."""

    def _sign_in(key: str) -> Client:
        sign_in(client, key)
        upstream.clear()
        return client

    return _sign_in


@pytest.fixture(autouse=True)
def _english_by_default():
    """A French request leaves French active in its thread; every test starts in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clean_cache():
    from django.core.cache import cache

    from dashboard import regions

    cache.clear()
    regions.forget()
    yield
    cache.clear()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser."""
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture
def browser_signed_in(upstream, page):
    """``browser_signed_in("ordinary")``: a Playwright page signed in through the real sign-in form."""

    def _sign_in(key: str = "ordinary"):
        account = demo_account(key)
        page.goto(f"{upstream.url}/signin/?method=token")
        page.get_by_label("API token").fill(_field(account, "api_token"))
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{upstream.url}/")
        return page

    return _sign_in
