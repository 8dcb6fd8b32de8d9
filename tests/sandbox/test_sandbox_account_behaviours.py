"""The account-side switchable behaviours: a wrong credential answered with 401, 2FA codes compared as
strings, and a 429 that says how long to wait."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine

from sandbox import behaviours, faults, ratelimit
from tests.sandbox.sandbox_support import Sandbox


@pytest.fixture(autouse=True)
def _behaviours_reset() -> Iterator[None]:
    behaviours.reset()
    yield
    behaviours.reset()


@pytest.mark.parametrize("on", [False, True])
def test_a_wrong_current_password_answers_422_or_401(sandbox: Sandbox, ordinary, on: bool) -> None:
    if on:
        behaviours.enable("wrong-password-401")
    body = {"user": {"email": "new@example.com", "current_password": "wrong"}}
    response = ordinary.put("/auth/v1/users/account", json=body)
    if on:
        assert response.status_code == 401
        assert response.json() == {"error": "Invalid current password"}
    else:
        assert response.status_code == 422
        assert response.json() == {"errors": {"current_password": ["is invalid"]}}
    assert ordinary.get("/auth/v1/users/self").json()["user"]["email"] == "ordinary@demo.sandbox.test"
    right = {"user": {"email": "new@example.com", "current_password": "demo-ordinary-password"}}
    assert ordinary.put("/auth/v1/users/account", json=right).status_code == 200


@pytest.mark.parametrize("on", [False, True])
def test_a_wrong_2fa_code_answers_422_or_401(sandbox: Sandbox, on: bool) -> None:
    if on:
        behaviours.enable("wrong-password-401")
    with sandbox.as_user("twofa") as twofa:
        response = twofa.request("DELETE", "/auth/v1/client/tfa", json={"tfa": {"attempt": "000000"}})
    assert response.status_code == (401 if on else 422)


def test_a_2fa_code_is_compared_as_a_string(sandbox: Sandbox) -> None:
    # At this moment the demo 2FA account's code is 033957 (computed once with pyotp).
    moment = datetime(2026, 12, 1, 9, 23, 40, tzinfo=UTC)
    with time_machine.travel(moment, tick=False), sandbox.as_user("twofa") as twofa:
        as_int = twofa.request("DELETE", "/auth/v1/client/tfa", json={"tfa": {"attempt": 33957}})
        assert as_int.status_code == 422, "an int lost the leading zero"
        as_text = twofa.request("DELETE", "/auth/v1/client/tfa", json={"tfa": {"attempt": "033957"}})
        assert as_text.status_code == 200


@pytest.mark.parametrize("on", [False, True])
def test_a_429_says_how_long_to_wait_only_when_switched_on(sandbox: Sandbox, on: bool) -> None:
    if on:
        behaviours.enable("rate-limit-retry-after")
    ratelimit.configure(limit=2)
    headers = sandbox.headers("ordinary")
    answers = [sandbox.get("/auth/v1/regions", headers=headers) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[-1].text == "Retry later"
    if on:
        assert 1 <= int(answers[-1].headers["Retry-After"]) <= 60
    else:
        assert "Retry-After" not in answers[-1].headers
    ratelimit.configure(limit=0)
    faults.configure(forced="429", paths=["/sandbox/auth/v1/regions"])
    forced = sandbox.get("/auth/v1/regions", headers=headers)
    assert forced.status_code == 429
    assert forced.headers.get("Retry-After") == ("30" if on else None)
