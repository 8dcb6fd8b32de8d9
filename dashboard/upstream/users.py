"""The signed-in user: read, update, delete (§2.1–2.3)."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class DeletionRequest:
    """The platform emailed a confirmation. ``id`` is known when its answer carries it; otherwise the
    link in the email names it."""

    id: str | None


def user_deletion_request(*, auth: Auth) -> DeletionRequest:
    """``POST AUTH /users/delete`` ([js] ``requestAccountDeletion``, no body): the platform emails a
    confirmation token. A 404 (``NotFound``) means the platform does not offer this flow."""
    reply = call("POST", Host.AUTH, "/users/delete", auth=auth)
    deletion = reply.body.get("deletion")
    deletion_id = (
        parse.lenient("deletion.id", parse.optional_string, deletion.get("id"), None)
        if isinstance(deletion, dict)
        else None
    )
    return DeletionRequest(id=deletion_id)


def user_deletion_confirm(*, auth: Auth, deletion_id: str, token: str) -> None:
    """``POST AUTH /users/delete/:id/confirm`` with ``{"deletion": {"token"}}`` ([js]
    ``confirmAccountDeletion``): the account is deleted."""
    call(
        "POST",
        Host.AUTH,
        "/users/delete/{id}/confirm",
        path_params={"id": deletion_id},
        auth=auth,
        json={"deletion": {"token": token}},
    )


def user_delete(*, auth: Auth) -> None:
    """``DELETE REGIONAL /users``: also deletes owned apps, so callers check ownership first."""
    call("DELETE", Host.REGIONAL, "/users", auth=auth)
