"""The request a signed-in view receives, and the decorator that guarantees it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from accounts import session as account_session
from accounts.middleware import caller_of, signin_redirect
from dashboard.caller import Caller


class AuthenticatedRequest(HttpRequest):
    htmx: HtmxDetails
    account: account_session.Account
    caller: Caller


View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def signin_required(view: View) -> View:
    """Gives the view ``request.account`` and ``request.caller`` (what services take, set by
    ``CallerMiddleware``), or sends the person to sign in. Full pages of these views show the account
    banner: ``dashboard.middleware.AccountBannerMiddleware`` names its reads before the view, and
    the view's one ``page_gather`` makes them. Nothing is started here."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        current = account_session.account(request.session)
        caller = caller_of(request)
        if current is None or caller is None:
            expired = getattr(request, "session_expired", False)
            return signin_redirect(request, _("Your session expired. Please sign in again.") if expired else None)
        signed_in = cast(AuthenticatedRequest, request)
        signed_in.account = current
        return view(signed_in, *args, **kwargs)

    wrapper.__dict__["signin_required"] = True  # kept by @wraps: tests find these views
    return cast(View, wrapper)
