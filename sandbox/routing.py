"""One wrapper around every sandbox view: identity, rate limit, faults, auth, errors, log.

Routes are written in the contract's own style (``account/invoices/:id``); the same string
gives the Django pattern and the template recorded in the request log.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, register_converter
from django.views.decorators.csrf import csrf_exempt

from sandbox import auth, faults, ratelimit, requestlog
from sandbox.http import ApiError, Unauthorized, json_response

logger = logging.getLogger(__name__)

REGIONS = ("osc-fr1", "osc-secnum-fr1")
View = Callable[..., HttpResponse]


class RegionConverter:
    regex = "|".join(re.escape(region) for region in REGIONS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RegionConverter, "region")

_PREFIXES = {
    "auth": ("auth/v1/", "/v1/"),
    "api": ("api/<region:region>/v1/", "/v1/"),
    "billing": ("billing/", "/"),
    "control": ("_control/", "/_control/"),
}


def _django_pattern(route: str) -> str:
    return re.sub(r":(\w+)", r"<str:\1>", route)


def _identity(request: HttpRequest) -> tuple[str | None, str]:
    """(user id for the log, key for the rate limit). Also attaches the bearer's user."""
    request.sandbox_user = None  # type: ignore[attr-defined]
    request.sandbox_auth_error = ""  # type: ignore[attr-defined]
    bearer = auth.bearer_value(request)
    if bearer is not None:
        user, message = auth.bearer_user(bearer)
        request.sandbox_user = user  # type: ignore[attr-defined]
        request.sandbox_auth_error = message  # type: ignore[attr-defined]
        if user is not None:
            return user.id, f"user:{user.id}"
    credentials = auth.basic_credentials(request)
    if credentials is not None:
        if credentials.login:
            user = auth.user_by_login(credentials.login)
            return (user.id if user else None), f"login:{credentials.login.lower()}"
        token = auth.token_by_secret(credentials.password)
        key = f"secret:{auth.hash_secret(credentials.password)[:16]}"
        return (token.user_id if token else None), key
    return None, f"ip:{request.META.get('REMOTE_ADDR', '')}"


def _call(handler: View, request: HttpRequest, kwargs: dict[str, Any], auth_mode: str) -> HttpResponse:
    bearer_sent = auth.bearer_value(request) is not None
    user = request.sandbox_user  # type: ignore[attr-defined]
    try:
        if user is None and (auth_mode == "required" or (auth_mode == "optional" and bearer_sent)):
            message = request.sandbox_auth_error or "You are not authorized to do this operation"  # type: ignore[attr-defined]
            raise Unauthorized(message)
        return handler(request, **kwargs)
    except ApiError as exc:
        return exc.response()
    except Exception:
        logger.exception("sandbox view failed: %s %s", request.method, request.path)
        return ApiError().response()


def endpoint(host: str, route: str, *, auth_mode: str | dict[str, str] = "required", **handlers: View) -> URLPattern:
    """A URL serving ``handlers`` (``GET=view, POST=view`` …) on one of the sandbox's hosts.

    ``auth_mode``: ``required`` (bearer), ``optional`` (anonymous allowed, a bad bearer is
    still a 401) or ``none`` (the view reads Basic credentials itself); a dict sets it per
    method, ``required`` being the default.
    """
    prefix, template_prefix = _PREFIXES[host]
    template = template_prefix + route
    if "GET" in handlers:
        handlers.setdefault("HEAD", handlers["GET"])
        if isinstance(auth_mode, dict) and "GET" in auth_mode:
            auth_mode = {**auth_mode, "HEAD": auth_mode["GET"]}

    @csrf_exempt
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        region = kwargs.pop("region", None)
        request.sandbox_region = region or REGIONS[0]  # type: ignore[attr-defined]
        request.sandbox_user = None  # type: ignore[attr-defined]
        request.sandbox_auth_error = ""  # type: ignore[attr-defined]
        handler = handlers.get(request.method or "")
        if host == "control":
            if handler is None:
                return json_response({"error": "Method not allowed"}, status=405)
            return _call(handler, request, kwargs, "none")
        user_id, rate_key = _identity(request)
        mode = auth_mode if isinstance(auth_mode, str) else auth_mode.get(request.method or "", "required")
        response = _answer(request, handler, kwargs, mode, rate_key)
        requestlog.record(
            method=request.method,
            host=host,
            region=region,
            path=request.path,
            route=template,
            identity=user_id or "anonymous",
            status=response.status_code,
            request_id=request.headers.get("X-Request-ID", ""),
        )
        return response

    view.__name__ = f"sandbox_{host}_{route}"
    return path(prefix + _django_pattern(route), view)


def _answer(
    request: HttpRequest, handler: View | None, kwargs: dict[str, Any], auth_mode: str, rate_key: str
) -> HttpResponse:
    if not ratelimit.allow(rate_key):
        return ratelimit.too_many(rate_key)
    kind = faults.choose(request)
    if kind is not None:
        faulty = faults.respond(kind)
        if faulty is not None:
            return faulty
    if handler is None:
        return json_response({"error": "Method not allowed"}, status=405)
    response = _call(handler, request, kwargs, auth_mode)
    if request.method == "HEAD":
        response.content = b""
    return response
