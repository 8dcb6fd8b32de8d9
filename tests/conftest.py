"""Shared fixtures: the sandbox served over real HTTP by live_server, and signed-in clients."""

from __future__ import annotations

import os
import socket
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.test import Client

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _no_delay_live_server() -> None:
    """The live server (Django's wsgiref server) writes a response's headers and its body in two
    sends; with Nagle's algorithm on, the body waits for the client's delayed ACK, 40 ms on Linux,
    on every kept-alive call: 44 ms for a /healthz that takes 1. gunicorn sets TCP_NODELAY on its
    sockets, so production never waits; the tests' server now does the same."""
    from django.core.servers.basehttp import ThreadedWSGIServer

    accept = ThreadedWSGIServer.get_request

    def get_request(self):  # type: ignore[no-untyped-def]
        connection, address = accept(self)
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address

    ThreadedWSGIServer.get_request = get_request  # type: ignore[method-assign]


_no_delay_live_server()


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


# Copies of this worker's test database, taken once per session with SQLite's backup API: as
# migrated (what a flush used to bring back) and with the sandbox seeded. Restoring one is a page
# copy of about a millisecond, where a flush and a seed cost a few hundred.
_SNAPSHOTS: dict[str, sqlite3.Connection] = {}


def _snapshot(name: str) -> None:
    from django.db import connection

    connection.ensure_connection()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    _SNAPSHOTS[name] = copy


def restore_database(name: str) -> None:
    """Bring the test database back to a snapshot, whole, for every connection that reads it next."""
    from django.db import connection

    connection.ensure_connection()
    # A test database needs no durability: no fsync, and the rollback journal in memory.
    connection.connection.execute("PRAGMA synchronous = OFF")
    connection.connection.execute("PRAGMA journal_mode = MEMORY")
    _SNAPSHOTS[name].backup(connection.connection)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, plus the two snapshots; a test that ran with transactions
    (every live-server test) ends by restoring the migrated one instead of flushing every table."""
    from django.test import TransactionTestCase

    with django_db_blocker.unblock():
        _snapshot("migrated")
        call_command("sandbox_seed", verbosity=0)
        _snapshot("seeded")
        restore_database("migrated")

    def _fixture_teardown(self) -> None:
        assert list(self._databases_names(include_mirrors=False)) == ["default"]
        restore_database("migrated")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", _fixture_teardown)
        yield


@pytest.fixture
def seeded_db(transactional_db) -> None:
    """The sandbox's demo accounts as ``manage.py sandbox_seed`` makes them, seeded once per session."""
    restore_database("seeded")


@pytest.fixture
def upstream(live_server, settings, seeded_db) -> Iterator[Upstream]:
    """The seeded sandbox, with the dashboard's upstream URLs pointed at it."""
    from sandbox import behaviours, faults, requestlog

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
from tests.helpers import sign_in_browser  # noqa: E402


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


# Debian's headless shell (package chromium-headless-shell: the same Chromium build without the
# browser's own interface, which is what Playwright runs for headless tests by default) uses a
# quarter less CPU per page than the full browser. TEST_CHROMIUM=/usr/bin/chromium runs the full one.
CHROMIUM = os.environ.get("TEST_CHROMIUM", "/usr/bin/chromium-headless-shell")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def browser_signed_in(upstream, page):
    """``browser_signed_in("ordinary")``: a Playwright page signed in as that demo account, on the
    overview; ``through_form=True`` signs in through the real sign-in form in the browser."""

    def _sign_in(key: str = "ordinary", *, through_form: bool = False):
        if through_form:
            account = demo_account(key)
            page.goto(f"{upstream.url}/signin/?method=token")
            page.get_by_label("API token").fill(_field(account, "api_token"))
            page.get_by_role("button", name="Sign in").click()
        else:
            sign_in_browser(page.context, upstream.url, key)
            page.goto(f"{upstream.url}/")
        page.wait_for_url(f"{upstream.url}/")
        return page

    return _sign_in


def _weight(item: pytest.Item) -> float:
    """A rough cost in seconds of one worker's time: 0 for a quick test (a few milliseconds to a few
    hundred), more for a real Chromium or processes started."""
    if item.get_closest_marker("infra") is not None:
        return 1.1
    if item.get_closest_marker("browser") is not None:
        return 7.0 if "passes_axe" in item.name or "375px_screen" in item.name else 2.0
    return 0.0


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Share the slow tests out evenly between the test workers, each at the start of its share.

    pytest-xdist's work stealing hands worker *i* the *i*-th contiguous slice of this order, then
    moves tests from the tail of a busy worker's queue to an idle one. A slow test left at the end
    of a slice keeps one worker busy while the others wait, so every slice begins with its slow
    tests. The tests that start processes (marked ``infra``) stay together on one worker: their
    sandbox, nginx and gunicorn stacks are started once per worker and shared. The random order
    chosen by pytest-randomly is kept within each group.
    """
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if workers < 2:
        return
    infra = [item for item in items if item.get_closest_marker("infra") is not None]
    units = [infra] + [[item] for item in items if item not in infra and _weight(item)]
    units.sort(key=lambda unit: -sum(_weight(item) for item in unit))
    loads = [0.0] * workers
    shares: list[list[pytest.Item]] = [[] for _ in range(workers)]
    for unit in units:
        lightest = loads.index(min(loads))
        shares[lightest] += unit
        loads[lightest] += sum(_weight(item) for item in unit)
    quick = [item for item in items if not _weight(item)]
    ordered: list[pytest.Item] = []
    for index, share in enumerate(shares):
        # xdist's first hand-out: worker i gets len(pending) // (workers - i) of what is left.
        size = (len(items) - len(ordered)) // (workers - index)
        take = len(quick) if index == workers - 1 else max(0, size - len(share))
        ordered += share + quick[:take]
        del quick[:take]
    items[:] = ordered
