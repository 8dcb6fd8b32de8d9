"""Sign-in, sign-out and the signed-in account, through the upstream client."""

from __future__ import annotations

import logging
from concurrent.futures import Future

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from accounts import session as account_session
from dashboard import concurrency
from dashboard.upstream import errors, tokens, users
from dashboard.upstream.types import User

logger = logging.getLogger("dashboard.accounts")


def _browser_name(user_agent: str) -> str:
    for marker, name in (
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ):
        if marker in user_agent:
            return name
    return "browser"


def dashboard_token_name(request: HttpRequest) -> str:
    """``Dashboard - <host> (<browser>)``: recognisable in the token list, and revoked at sign-out."""
    host = request.get_host().split(":")[0]
    return f"Dashboard - {host} ({_browser_name(request.headers.get('User-Agent', ''))})"[:100]


def signin_with_token(request: HttpRequest, *, api_token: str) -> User:
    bearer = tokens.token_exchange(api_token=api_token)
    user = _user_for(bearer)
    _start(request, api_token=api_token, bearer=bearer, user=user, token_id=None, created=False)
    logger.info("signed in", extra={"action": "signin", "method": "api-token", "user_id": user.id})
    return user


def signin_with_password(request: HttpRequest, *, login: str, password: str, otp: str | None) -> User:
    created = tokens.token_create_with_login(
        login=login, password=password, otp=otp, name=dashboard_token_name(request)
    )
    bearer = tokens.token_exchange(api_token=created.secret)
    user = _user_for(bearer)
    _start(
        request,
        api_token=created.secret,
        bearer=bearer,
        user=user,
        token_id=created.token.id,
        created=True,
    )
    logger.info("signed in", extra={"action": "signin", "method": "password", "user_id": user.id})
    return user


class _FixedBearer:
    def __init__(self, bearer: tokens.Bearer) -> None:
        self._value = bearer.value

    def bearer(self) -> str:
        return self._value

    def reexchange(self) -> str:
        raise errors.Unauthorized("The new bearer was refused.")


def _user_for(bearer: tokens.Bearer) -> User:
    return users.user_self(auth=_FixedBearer(bearer))


def _start(
    request: HttpRequest,
    *,
    api_token: str,
    bearer: tokens.Bearer,
    user: User,
    token_id: str | None,
    created: bool,
) -> None:
    # A new session id at sign-in (no fixation), and nothing carried over from before.
    request.session.cycle_key()
    for key in list(request.session.keys()):
        del request.session[key]
    account_session.start(
        request.session,
        api_token=api_token,
        bearer=bearer,
        user_id=user.id,
        username=user.username,
        email=user.email,
        token_id=token_id,
        created_token=created,
    )
    cache.set(user_cache_key(user.id), user, settings.UPSTREAM_READ_CACHE_SECONDS)


def signout(request: HttpRequest) -> None:
    """Revoke the token this session created at password sign-in, then forget everything."""
    current = account_session.account(request.session)
    if current is not None and current.created_token and current.token_id:
        try:
            tokens.token_delete(auth=account_session.SessionAuth(request.session), token_id=current.token_id)
        except errors.NotFound:
            pass
        except errors.UpstreamError as exc:
            logger.warning(
                "could not revoke the session token",
                extra={"action": "signout", "error": type(exc).__name__},
            )
    if current is not None:
        forget_user_cache(current.user_id)
        logger.info("signed out", extra={"action": "signout", "user_id": current.user_id})
    request.session.flush()


def user_cache_key(user_id: str) -> str:
    return f"user:{user_id}:self"


def forget_user_cache(user_id: str) -> None:
    cache.delete(user_cache_key(user_id))


def current_user(request: HttpRequest) -> User:
    """The signed-in user, reused for a few seconds per user (and only for that user).

    Views should call ``current_user_future(request).result()`` so that the layout and the view
    share one fetch."""
    current = account_session.account(request.session)
    if current is None:
        raise errors.Unauthorized("Not signed in.")
    key = user_cache_key(current.user_id)
    user: User | None = cache.get(key)
    if user is None:
        user = users.user_self(auth=account_session.SessionAuth(request.session))
        cache.set(key, user, settings.UPSTREAM_READ_CACHE_SECONDS)
    return user


def current_user_future(request: HttpRequest) -> Future[User]:
    """One fetch of the signed-in user per request, shared by the layout and the view."""
    future: Future[User] | None = getattr(request, "_current_user_future", None)
    if future is None:
        future = concurrency.submit(current_user, request)
        request._current_user_future = future  # type: ignore[attr-defined]
    return future
