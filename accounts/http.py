"""The request a signed-in view receives, and the decorator that guarantees it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from accounts import session as account_session
from accounts.middleware import signin_redirect
from dashboard.caller import Caller
from dashboard.summary import LazyAccountSummary


class AuthenticatedRequest(HttpRequest):
    htmx: HtmxDetails
    account: account_session.Account
    caller: Caller
    account_summary: LazyAccountSummary


View = TypeVar("View", bound=Callable[..., HttpResponse])


def signin_required(view: View) -> View:
    """Gives the view ``request.account`` and ``request.caller`` (what services take), or sends
    the person to sign in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        current = account_session.account(request.session)
        if current is None:
            expired = getattr(request, "session_expired", False)
            return signin_redirect(request, _("Your session expired. Please sign in again.") if expired else None)
        signed_in = cast(AuthenticatedRequest, request)
        signed_in.account = current
        signed_in.caller = Caller(auth=account_session.SessionAuth(request.session), user_id=current.user_id)
        if request.method == "GET" and not request.headers.get("HX-Request"):
            # Full pages show the account banner: start its fetch now, alongside the view's own.
            signed_in.account_summary = LazyAccountSummary(signed_in.caller)
        return view(signed_in, *args, **kwargs)

    wrapper.__dict__["signin_required"] = True  # kept by @wraps: tests find these views
    return cast(View, wrapper)
