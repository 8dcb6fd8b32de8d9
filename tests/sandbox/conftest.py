"""Fixtures: the seeded sandbox served by pytest-django's live server, and an httpx client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.core.management import call_command

from sandbox import behaviours, faults, ratelimit, requestlog
from tests.sandbox.sandbox_support import Sandbox


@pytest.fixture
def sandbox(live_server: Any, transactional_db: None) -> Iterator[Sandbox]:
    call_command("sandbox_seed", verbosity=0)
    client = Sandbox(live_server.url)
    yield client
    client.http.close()


@pytest.fixture(autouse=True)
def _sandbox_runtime_reset() -> Iterator[None]:
    faults.reset()
    ratelimit.reset()
    requestlog.clear()
    yield
    faults.reset()
    ratelimit.reset()
    requestlog.clear()
    behaviours.reset()


@pytest.fixture
def ordinary(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with sandbox.as_user("ordinary") as client:
        yield client


@pytest.fixture
def teamadmin(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with sandbox.as_user("teamadmin") as client:
        yield client
