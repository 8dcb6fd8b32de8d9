"""Session time-outs, and turning upstream failures that escape a view into a page or a redirect."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import cast
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from accounts import session as account_session
from dashboard import htmx
from dashboard.caller import Caller
from dashboard.upstream import errors

logger = logging.getLogger("dashboard.accounts")


class SessionRequest(HttpRequest):
    """What ``CallerMiddleware`` adds to every request."""

    caller: Caller | None
    session_expired: bool


def caller_of(request: HttpRequest) -> Caller | None:
    """The signed-in person as services take them (set once per request), or None."""
    caller = getattr(request, "caller", None)
    return caller if isinstance(caller, Caller) else None


class CallerMiddleware:
    """Reads the session once per request: ``request.caller`` is the ``Caller`` services take, or
    None when nobody is signed in. The sign-in decorator and the account banner use that one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cast(SessionRequest, request).caller = account_session.caller(request.session)
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """Ends a session after ``SESSION_IDLE_TIMEOUT`` idle or ``SESSION_ABSOLUTE_TIMEOUT`` in all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        data = request.session.get(account_session.KEY)
        if data:
            now = time.time()
            idle = now - float(data.get("last_seen", 0))
            total = now - float(data.get("signed_in_at", 0))
            if idle > settings.SESSION_IDLE_TIMEOUT or total > settings.SESSION_ABSOLUTE_TIMEOUT:
                request.session.flush()
                cast(SessionRequest, request).session_expired = True
            elif now - float(data.get("last_seen", 0)) > 30:
                data["last_seen"] = now  # written at most every 30 s, not on every request
                request.session.modified = True
        return self.get_response(request)


class SignedInNoStoreMiddleware:
    """Whatever a signed-in person is sent (pages, fragments, error pages) is theirs alone: no shared
    cache keeps it, and the browser keeps nothing after sign-out (back/forward cache included)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in = account_session.account(request.session) is not None
        response = self.get_response(request)
        if signed_in:
            patch_cache_control(response, private=True, no_store=True)
        return response


def signin_redirect(request: HttpRequest, message: str | None = None) -> HttpResponse:
    """Back to sign-in with a ``next`` that returns here; ``HX-Redirect`` for htmx requests."""
    if message:
        messages.warning(request, message)
    if htmx.is_htmx(request):
        target = _local_path(request.headers.get("HX-Current-URL", ""))
    else:
        target = request.get_full_path() if request.method == "GET" else None
    url = reverse("accounts:signin")
    if target and target != url:
        url += "?" + urlencode({"next": target})
    return htmx.redirect(request, url)


def _local_path(url: str) -> str | None:
    parts = urlsplit(url)
    if not parts.path:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


class UpstreamErrorMiddleware:
    """An upstream failure a view did not handle becomes a clear page, never a 500.

    A 401 (after the client's one re-exchange) ends the session and goes back to sign-in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, errors.Unauthorized) and not isinstance(exception, errors.OTPRequired):
            logger.info("upstream refused the session", extra={"action": "session-ended"})
            request.session.flush()
            return signin_redirect(request, _("Your session has ended. Please sign in again."))
        if isinstance(exception, errors.UpstreamFailure):
            logger.warning(
                "upstream failure shown to the user",
                extra={"error": type(exception).__name__, "status": exception.status},
            )
            status = 429 if isinstance(exception, errors.RateLimited) else 503
            response = htmx.render(
                request, "errors/upstream.html", {"error": exception}, fragment="upstream-error", status=status
            )
            if isinstance(exception, errors.RateLimited):
                # The platform's own wait when it gave one; otherwise its documented one-minute window.
                response["Retry-After"] = str(exception.retry_after_seconds or 60)
            return response
        return None
