"""Contract §1 and §2.5: token exchange, password login with OTP, token management."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import jwt
import pyotp
import pytest
import time_machine
from django.test import override_settings

from sandbox.demo import DEMO_ACCOUNTS, TWOFA_RECOVERY_CODES, demo_account
from tests.sandbox.sandbox_support import Sandbox, basic


def test_it_exchanges_an_api_token_for_a_jwt(sandbox: Sandbox) -> None:
    response = sandbox.http.post("/auth/v1/tokens/exchange", auth=("", demo_account("ordinary").api_token), json={})
    assert response.status_code == 200
    assert list(response.json()) == ["token"]
    claims = jwt.decode(response.json()["token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["sub"].startswith("us-")


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.key)
def test_it_signs_in_every_demo_account_with_its_token(sandbox: Sandbox, account) -> None:
    response = sandbox.get("/auth/v1/users/self", headers=sandbox.headers(account.key))
    assert response.status_code == 200
    assert response.json()["user"]["username"] == account.username


@pytest.mark.parametrize(
    "auth",
    [None, ("", "tk-us-unknown"), ("", "not-a-token")],
)
def test_it_refuses_a_bad_exchange(sandbox: Sandbox, auth) -> None:
    response = sandbox.http.post("/auth/v1/tokens/exchange", auth=auth)
    assert response.status_code == 401
    assert isinstance(response.json()["error"], str)


def test_it_updates_last_used_at_on_exchange(sandbox: Sandbox) -> None:
    # The seed marks the token used three days after its creation, in 2026; the exchange moves it
    # to the (frozen) moment of the exchange.
    with time_machine.travel(datetime(2031, 5, 4, 3, 2, 1, tzinfo=UTC), tick=False):
        headers = sandbox.headers("empty")
        tokens = sandbox.get("/auth/v1/tokens", headers=headers).json()["tokens"]
    assert [t["last_used_at"] for t in tokens] == ["2031-05-04T03:02:01.000Z"]


@pytest.mark.parametrize("path", ["/auth/v1/users/self", "/api/osc-fr1/v1/users/self"])
@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Bearer a.b.c", "Basic Zm9vOmJhcg==", "Token abc"])
def test_it_answers_401_without_a_valid_bearer(sandbox: Sandbox, path, header) -> None:
    headers = {"Authorization": header} if header else {}
    response = sandbox.get(path, headers=headers)
    assert response.status_code == 401
    assert set(response.json()) == {"error"}


def test_an_expired_bearer_is_refused(sandbox: Sandbox) -> None:
    with override_settings(SANDBOX_JWT_TTL=1):
        bearer = sandbox.bearer("ordinary")
        claims = jwt.decode(bearer, options={"verify_signature": False})
        assert claims["exp"] - claims["iat"] == 1
        with time_machine.travel(time.time() + 2.1):  # two seconds later, without waiting them
            response = sandbox.get("/auth/v1/users/self", headers={"Authorization": f"Bearer {bearer}"})
    assert response.status_code == 401
    assert response.json() == {"error": "Token expired"}


def test_a_forged_bearer_is_refused(sandbox: Sandbox) -> None:
    claims = jwt.decode(sandbox.bearer("ordinary"), options={"verify_signature": False})
    forged = jwt.encode(claims, "a-wrong-secret-that-is-long-enough-for-hs256", algorithm="HS256")
    response = sandbox.get("/auth/v1/users/self", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401


def test_password_login_creates_a_token(sandbox: Sandbox) -> None:
    account = demo_account("ordinary")
    response = sandbox.http.post(
        "/auth/v1/tokens",
        headers=basic(account.email, account.password),
        json={"token": {"name": "Dashboard - localhost"}},
    )
    assert response.status_code == 201
    token = response.json()["token"]
    assert set(token) == {"id", "name", "created_at", "last_used_at", "issued_at", "token"}
    assert token["token"].startswith("tk-us-")
    assert token["last_used_at"] is None
    exchanged = sandbox.http.post("/auth/v1/tokens/exchange", auth=("", token["token"]))
    assert exchanged.status_code == 200


def test_password_login_accepts_the_username(sandbox: Sandbox) -> None:
    account = demo_account("ordinary")
    response = sandbox.http.post(
        "/auth/v1/tokens", headers=basic(account.username, account.password), json={"name": "x"}
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("login", "password"),
    [
        ("ordinary@demo.sandbox.test", "wrong-password"),
        ("nobody@example.com", "whatever-password"),
        ("github@demo.sandbox.test", ""),
    ],
)
def test_password_login_refuses_bad_credentials(sandbox: Sandbox, login, password) -> None:
    response = sandbox.http.post("/auth/v1/tokens", headers=basic(login, password), json={"token": {"name": "x"}})
    assert response.status_code == 401
    assert response.json()["error"] != "OTP Required"


def test_password_login_asks_for_the_otp_then_accepts_it(sandbox: Sandbox) -> None:
    account = demo_account("twofa")
    headers = basic(account.email, account.password)
    body = {"token": {"name": "Dashboard"}}
    first = sandbox.http.post("/auth/v1/tokens", headers=headers, json=body)
    assert first.status_code == 401
    assert first.json() == {"error": "OTP Required"}
    wrong = sandbox.http.post("/auth/v1/tokens", headers={**headers, "X-Authorization-OTP": "000000"}, json=body)
    assert wrong.status_code == 401
    assert wrong.json()["error"] not in {"OTP Required", ""}
    code = pyotp.TOTP(account.totp_secret).now()
    ok = sandbox.http.post("/auth/v1/tokens", headers={**headers, "X-Authorization-OTP": code}, json=body)
    assert ok.status_code == 201


def test_a_recovery_code_works_once_as_otp(sandbox: Sandbox) -> None:
    account = demo_account("twofa")
    headers = {
        **basic(account.username, account.password),
        "X-Authorization-OTP": TWOFA_RECOVERY_CODES[0],
    }
    first = sandbox.http.post("/auth/v1/tokens", headers=headers, json={"name": "a"})
    again = sandbox.http.post("/auth/v1/tokens", headers=headers, json={"name": "b"})
    assert first.status_code == 201
    assert again.status_code == 401


def test_it_lists_tokens_without_secrets(sandbox: Sandbox) -> None:
    response = sandbox.get("/auth/v1/tokens", headers=sandbox.headers("ordinary"))
    assert response.status_code == 200
    tokens = response.json()["tokens"]
    assert len(tokens) == 3
    for token in tokens:
        assert set(token) == {"id", "name", "created_at", "last_used_at", "issued_at"}


def test_it_creates_wrapped_and_unwrapped_tokens(ordinary) -> None:
    for body, name in (({"token": {"name": "wrapped"}}, "wrapped"), ({"name": "bare"}, "bare")):
        response = ordinary.post("/auth/v1/tokens", json=body)
        assert response.status_code == 201
        assert response.json()["token"]["name"] == name


@pytest.mark.parametrize("body", [{}, {"token": {"name": ""}}, {"token": {"name": 12}}])
def test_it_answers_422_for_a_token_without_a_name(ordinary, body) -> None:
    response = ordinary.post("/auth/v1/tokens", json=body)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["name"]


def test_renewal_revokes_the_old_secret_and_its_bearers(sandbox: Sandbox, ordinary) -> None:
    created = ordinary.post("/auth/v1/tokens", json={"token": {"name": "to renew"}}).json()["token"]
    old_bearer = sandbox.http.post("/auth/v1/tokens/exchange", auth=("", created["token"])).json()["token"]
    renewed = ordinary.patch(f"/auth/v1/tokens/{created['id']}/renew")
    assert renewed.status_code == 200
    new_secret = renewed.json()["token"]["token"]
    assert new_secret != created["token"]
    assert sandbox.http.post("/auth/v1/tokens/exchange", auth=("", created["token"])).status_code == 401
    assert sandbox.http.post("/auth/v1/tokens/exchange", auth=("", new_secret)).status_code == 200
    stale = sandbox.get("/auth/v1/users/self", headers={"Authorization": f"Bearer {old_bearer}"})
    assert stale.status_code == 401


def test_deletion_revokes_the_token(sandbox: Sandbox, ordinary) -> None:
    created = ordinary.post("/auth/v1/tokens", json={"name": "to delete"}).json()["token"]
    shown = ordinary.get(f"/auth/v1/tokens/{created['id']}")
    assert shown.status_code == 200
    assert "token" not in shown.json()["token"]
    assert ordinary.delete(f"/auth/v1/tokens/{created['id']}").status_code == 204
    assert sandbox.http.post("/auth/v1/tokens/exchange", auth=("", created["token"])).status_code == 401
    missing = ordinary.get(f"/auth/v1/tokens/{created['id']}")
    assert missing.status_code == 404
    assert missing.json() == {"resource": "token", "error": "not found"}


def test_another_users_token_is_not_found(sandbox: Sandbox, ordinary) -> None:
    theirs = sandbox.get("/auth/v1/tokens", headers=sandbox.headers("teamadmin")).json()["tokens"]
    assert ordinary.delete(f"/auth/v1/tokens/{theirs[0]['id']}").status_code == 404
