"""Helpers for the account pages' tests: upstream failures by status, and sandbox faults by path."""

from __future__ import annotations

import pytest

from dashboard.upstream import errors

AUTH = "/sandbox/auth/v1"
REGIONAL = "/sandbox/api/osc-fr1/v1"

# An upstream failure, and the status a plain (no-JS) request answers with when it happens.
FAILURES = {
    "404": (lambda: errors.NotFound("not found", resource="user"), 404),
    "409": (lambda: errors.Conflict("Cannot do this now"), 409),
    "429": (lambda: errors.RateLimited("Too many requests"), 429),
    "500": (lambda: errors.ServerError("boom", status=500), 503),
    "timeout": (lambda: errors.UpstreamTimeout("slow"), 503),
    "malformed": (lambda: errors.MalformedResponse("bad"), 503),
}

FAILURE_TEXT = {
    "404": "no longer knows this item",
    "409": "refused this change",
    "429": "too many requests",
    "500": "cannot be reached right now",
    "timeout": "cannot be reached right now",
    "malformed": "sent an answer we could not read",
}


@pytest.fixture
def failing(monkeypatch):
    """``failing("dashboard.upstream.users.user_update", "429")`` makes that upstream call fail."""

    def _fail(target: str, kind: str) -> None:
        make, _status = FAILURES[kind]

        def _raise(*args, **kwargs):
            raise make()

        monkeypatch.setattr(target, _raise)

    return _fail


@pytest.fixture
def fault():
    """``fault("500", "/sandbox/auth/v1/keys")``: the sandbox answers that path with the fault."""
    from sandbox import faults

    def _fault(kind: str, path: str) -> None:
        faults.configure(forced=kind, paths=[path])

    yield _fault
    faults.reset()


def revoke_tokens(username: str) -> None:
    """Make the upstream refuse the session (a 401 on every call, even after re-exchange)."""
    from sandbox.models import ApiToken

    ApiToken.objects.filter(user__username=username).delete()


def plain_status(kind: str) -> int:
    return FAILURES[kind][1]


def password_sign_in(client, key: str = "ordinary", user_agent: str = "") -> None:
    """Sign in with the demo account's password, as a person would: the dashboard creates a token."""
    from tests.helpers import demo

    account = demo(key)
    extra = {"HTTP_USER_AGENT": user_agent} if user_agent else {}
    response = client.post(
        "/signin/", {"method": "password", "login": account.username, "password": account.password}, **extra
    )
    assert response.status_code == 302, response.content[:2000]


@pytest.fixture
def signed_in_with_password(upstream, client):
    """A client signed in with the ordinary demo account's password (the session knows its token id)."""
    password_sign_in(client)
    upstream.clear()
    return client
