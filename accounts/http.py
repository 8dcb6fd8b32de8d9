"""The request a signed-in view receives, and the decorator that guarantees it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from accounts import session as account_session
from accounts.middleware import signin_redirect
from dashboard.summary import LazyAccountSummary


class AuthenticatedRequest(HttpRequest):
    htmx: HtmxDetails
    account: account_session.Account
    auth: account_session.SessionAuth


View = TypeVar("View", bound=Callable[..., HttpResponse])


def signin_required(view: View) -> View:
    """Gives the view ``request.account`` and ``request.auth``, or sends the person to sign in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        current = account_session.account(request.session)
        if current is None:
            expired = getattr(request, "session_expired", False)
            return signin_redirect(request, _("Your session expired. Please sign in again.") if expired else None)
        request.account = current  # type: ignore[attr-defined]
        request.auth = account_session.SessionAuth(request.session)  # type: ignore[attr-defined]
        if request.method == "GET" and not request.headers.get("HX-Request"):
            # Full pages show the account banner: start its fetch now, alongside the view's own.
            request.account_summary = LazyAccountSummary(request)  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    wrapper.signin_required = True  # type: ignore[attr-defined]  # kept by @wraps: tests find these views
    return wrapper  # type: ignore[return-value]
