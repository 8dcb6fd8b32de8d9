"""The signed-in user: read, update, delete (§2.1–2.3)."""

from __future__ import annotations

from typing import Any

from . import parse
from .http import Auth, Host, call
from .types import User, user_from


def user_self(*, auth: Auth) -> User:
    reply = call("GET", Host.AUTH, "/users/self", auth=auth)
    return user_from(parse.root(reply.body, "user"))


def user_update(*, auth: Auth, fields: dict[str, Any]) -> User:
    """``PUT AUTH /users/account``: the only variant that carries every profile field (§2.2)."""
    reply = call("PUT", Host.AUTH, "/users/account", auth=auth, json={"user": fields})
    return user_from(parse.root(reply.body, "user"))


def user_delete(*, auth: Auth) -> None:
    """``DELETE REGIONAL /users``: also deletes owned apps, so callers check ownership first."""
    call("DELETE", Host.REGIONAL, "/users", auth=auth)
