"""AUTH token calls: exchange, password login, and API token management (§1, §2.5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import jwt

from . import errors, parse
from .http import Auth, Basic, Host, call
from .types import CreatedToken, Token, created_token_from, token_from


@dataclass(frozen=True)
class Bearer:
    value: str
    expires_at: datetime

    def __repr__(self) -> str:
        return f"Bearer(***, expires_at={self.expires_at.isoformat()})"


def bearer_from(value: str) -> Bearer:
    """Read ``exp`` from the JWT without verifying it, as go-scalingo does (§1)."""
    try:
        claims = jwt.decode(value, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise errors.MalformedResponse("the bearer is not a JWT") from exc
    exp = claims.get("exp")
    if isinstance(exp, bool) or not isinstance(exp, int | float):
        raise errors.MalformedResponse("the bearer has no numeric exp")
    return Bearer(value=value, expires_at=datetime.fromtimestamp(exp, UTC))


def token_exchange(*, api_token: str) -> Bearer:
    reply = call("POST", Host.AUTH, "/tokens/exchange", basic=Basic("", api_token), json={})
    return bearer_from(parse.string(parse.root(reply.body, "token")))


def token_create_with_login(*, login: str, password: str, otp: str | None, name: str) -> CreatedToken:
    """Password sign-in. Raises ``OTPRequired`` when the account has 2FA and no code was given."""
    headers = {"X-Authorization-OTP": otp} if otp else None
    reply = call(
        "POST",
        Host.AUTH,
        "/tokens",
        basic=Basic(login, password),
        headers=headers,
        json={"token": {"name": name}},
    )
    return created_token_from(parse.root(reply.body, "token"))


def token_list(*, auth: Auth) -> list[Token]:
    reply = call("GET", Host.AUTH, "/tokens", auth=auth)
    return [token_from(row) for row in parse.items(parse.root(reply.body, "tokens"), "tokens")]


def token_create(*, auth: Auth, name: str) -> CreatedToken:
    reply = call("POST", Host.AUTH, "/tokens", auth=auth, json={"token": {"name": name}})
    return created_token_from(parse.root(reply.body, "token"))


def token_renew(*, auth: Auth, token_id: str) -> CreatedToken:
    reply = call("PATCH", Host.AUTH, "/tokens/{id}/renew", path_params={"id": token_id}, auth=auth, json={})
    return created_token_from(parse.root(reply.body, "token"))


def token_delete(*, auth: Auth, token_id: str) -> None:
    call("DELETE", Host.AUTH, "/tokens/{id}", path_params={"id": token_id}, auth=auth)
