"""Every write a signed-in person makes through the dashboard may add events to their feed
(sign-in, tokens, keys, 2FA, billing): drop their cached window so the next page shows them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from accounts import session as account_session
from activity import services

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ForgetActivityOnWriteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        before = account_session.account(request.session)
        response = self.get_response(request)
        after = account_session.account(request.session)
        for current in {before.user_id if before else None, after.user_id if after else None} - {None}:
            services.forget(str(current))
        return response
