"""What the server-side session holds for a signed-in person, with its secrets encrypted.

The API token and the bearer are kept Fernet-encrypted (MultiFernet: the first key in
``SESSION_ENCRYPTION_KEYS`` encrypts, all decrypt, so keys rotate). They never go to the browser:
the browser only holds the session id.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

from dashboard.caller import Caller
from dashboard.upstream import errors, tokens

KEY = "dashboard"
# The bearer is exchanged again when less than this is left before its exp (go-scalingo does 5 min).
BEARER_REFRESH_MARGIN = 300


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.SESSION_ENCRYPTION_KEYS])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    try:
        return _fernet().decrypt(value.encode()).decode()
    except InvalidToken:
        # A key was dropped from the rotation: the session can no longer be used.
        raise errors.Unauthorized("The session's secrets can no longer be read.") from None


@dataclass(frozen=True)
class Account:
    """Who is signed in, as remembered in the session (no secrets)."""

    user_id: str
    username: str
    email: str
    token_id: str | None
    created_token: bool
    signed_in_at: float


def start(
    session: SessionBase,
    *,
    api_token: str,
    bearer: tokens.Bearer,
    user_id: str,
    username: str,
    email: str,
    token_id: str | None,
    created_token: bool,
) -> None:
    """Begin a signed-in session. The caller has rotated the session id already."""
    now = time.time()
    session[KEY] = {
        "api_token": encrypt(api_token),
        "bearer": encrypt(bearer.value),
        "bearer_exp": bearer.expires_at.timestamp(),
        "user_id": user_id,
        "username": username,
        "email": email,
        "token_id": token_id,
        "created_token": created_token,
        "signed_in_at": now,
        "last_seen": now,
    }


def account(session: SessionBase) -> Account | None:
    data: dict[str, Any] | None = session.get(KEY)
    if not data or "api_token" not in data:
        return None
    return Account(
        user_id=data["user_id"],
        username=data["username"],
        email=data.get("email", ""),
        token_id=data.get("token_id"),
        created_token=bool(data.get("created_token")),
        signed_in_at=float(data["signed_in_at"]),
    )


def update_identity(session: SessionBase, *, username: str, email: str) -> None:
    data = session.get(KEY)
    if data:
        data["username"] = username
        data["email"] = email
        session.modified = True


def api_token(session: SessionBase) -> str:
    data = session.get(KEY)
    if not data:
        raise errors.Unauthorized("Not signed in.")
    return decrypt(data["api_token"])


class SessionAuth:
    """The upstream ``Auth`` for a signed-in session: reuses the bearer until 5 minutes before its
    exp, then exchanges the API token again; the client calls ``reexchange`` once on a 401.

    A page fetches its parts from several threads at once. They share one lock per session, so
    an expiring or refused bearer is exchanged once, not once per thread.
    """

    def __init__(self, session: SessionBase) -> None:
        self._session = session
        self._lock: threading.RLock = session.__dict__.setdefault("_dashboard_auth_lock", threading.RLock())

    def _data(self) -> dict[str, Any]:
        data: dict[str, Any] | None = self._session.get(KEY)
        if not data:
            raise errors.Unauthorized("Not signed in.")
        return data

    def bearer(self) -> str:
        with self._lock:
            data = self._data()
            if float(data.get("bearer_exp", 0)) - time.time() > BEARER_REFRESH_MARGIN:
                return decrypt(data["bearer"])
            return self._exchange(data)

    def reexchange(self, refused: str | None = None) -> str:
        with self._lock:
            data = self._data()
            current = decrypt(data["bearer"])
            if refused is not None and current != refused:
                return current  # another thread already replaced the refused bearer
            return self._exchange(data)

    def _exchange(self, data: dict[str, Any]) -> str:
        bearer = tokens.token_exchange(api_token=decrypt(data["api_token"]))
        data["bearer"] = encrypt(bearer.value)
        data["bearer_exp"] = bearer.expires_at.timestamp()
        self._session.modified = True
        return bearer.value


def caller(session: SessionBase) -> Caller | None:
    """The signed-in person as services take them, or None when nobody is signed in."""
    current = account(session)
    if current is None:
        return None
    return Caller(auth=SessionAuth(session), user_id=current.user_id)


def replace_api_token(session: SessionBase, *, api_token: str, bearer: tokens.Bearer) -> None:
    """After the session's own token was renewed: keep the session working with the new secret."""
    data = session.get(KEY)
    if not data:
        raise errors.Unauthorized("Not signed in.")
    data["api_token"] = encrypt(api_token)
    data["bearer"] = encrypt(bearer.value)
    data["bearer_exp"] = bearer.expires_at.timestamp()
    session.modified = True
