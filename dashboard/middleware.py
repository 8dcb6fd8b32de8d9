"""Request ids, the security headers Django 5.2 does not set by itself, the account banner, and the
activity feed dropped after a write."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from accounts import session as account_session
from accounts.middleware import caller_of
from activity import services as activity_services
from billing.summary import show_banner
from dashboard import htmx
from dashboard.requestid import bind_request_id, current_request_id, reset_request_id

logger = logging.getLogger("dashboard.requests")

# No inline script anywhere: every script is a same-origin file. Inline style attributes are not
# used either. Images may come from https (addon logos on the platform's CDN) or data: URIs.
IMG_SRC = "img-src 'self' https: data:"
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        IMG_SRC,
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def content_security_policy() -> str:
    """The strict policy, plus, where ``CSP_UPSTREAM_IMAGES`` is on (development and tests), the
    configured API's own origin when it is plain http: a local sandbox serves the addon logos
    itself, over http. Never a blanket ``http:``; production keeps ``https:`` only."""
    if not settings.CSP_UPSTREAM_IMAGES:
        return CONTENT_SECURITY_POLICY
    parts = urlsplit(settings.SCALINGO_API_URL)
    host = parts.netloc.rpartition("@")[2]
    if parts.scheme != "http" or not host:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace(IMG_SRC, f"{IMG_SRC} http://{host}")


PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in ("accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "usb")
)


class RequestIdMiddleware:
    """Binds a request id (the proxy's ``X-Request-ID`` if sane) for logs and upstream calls."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = bind_request_id(request.headers.get("X-Request-ID"))
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = current_request_id()
            if not request.path_info.startswith(("/healthz", "/readyz", "/static/")):
                logger.info(
                    "request",
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "route": getattr(getattr(request, "resolver_match", None), "route", None),
                        "status": response.status_code,
                        "duration_ms": round((time.monotonic() - started) * 1000, 1),
                        "htmx": request.headers.get("HX-Request") == "true",
                    },
                )
            return response
        finally:
            reset_request_id(token)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path_info.startswith("/sandbox/"):
            response.setdefault("Content-Security-Policy", content_security_policy())
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class AccountBannerMiddleware:
    """Full pages of signed-in views show the account banner: its reads are named here, before the
    view, and made in the page's one gather (``concurrency.page_gather``), side by side with the
    page's own. Nothing starts here. The catalog, open to everyone, names its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable[..., HttpResponse], *args: object) -> None:
        caller = caller_of(request)
        full_page = request.method == "GET" and not htmx.wants_fragment(request)  # a history restore is a page
        if caller is not None and full_page and getattr(view, "signin_required", False):
            show_banner(request, caller)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ForgetActivityOnWriteMiddleware:
    """Every write a signed-in person makes through the dashboard may add events to their feed
    (sign-in, tokens, keys, 2FA, billing): drop their cached window so the next page shows them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        before = account_session.account(request.session)
        response = self.get_response(request)
        after = account_session.account(request.session)
        for current in {before.user_id if before else None, after.user_id if after else None} - {None}:
            activity_services.forget(str(current))
        return response
