"""The one way out to the platform API: a pooled httpx client with timeouts, retries and logging.

Every call names its host (AUTH, REGIONAL or BILLING) and a path *template*; the template, not the
filled path, is what gets logged, so ids and secrets never reach a log line.
"""

from __future__ import annotations

import enum
import json as jsonlib
import logging
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

import httpx
from django.conf import settings

from dashboard.requestid import current_request_id

from . import errors

logger = logging.getLogger("dashboard.upstream")

RETRYABLE_STATUSES = frozenset({502, 503, 504})
# A page must answer within a bounded time whatever the upstream does: no retry starts after this.
CALL_DEADLINE_SECONDS = 12.0


class Host(enum.Enum):
    AUTH = "auth"
    REGIONAL = "regional"
    BILLING = "billing"


class Auth(Protocol):
    """What a signed-in caller gives the client: a bearer, and a way to get a fresh one."""

    def bearer(self) -> str: ...

    def reexchange(self, refused: str | None = None) -> str:
        """A fresh bearer, after ``refused`` got a 401 (unless another caller already replaced it)."""
        ...


@dataclass(frozen=True)
class Basic:
    """HTTP Basic credentials: ``("", api_token)`` to exchange, ``(login, password)`` to log in."""

    username: str
    password: str

    def __repr__(self) -> str:  # never show the password, even in a traceback
        return "Basic(***)"


_client: httpx.Client | None = None
_client_lock = threading.Lock()


def client() -> httpx.Client:
    """The process-wide client: one keep-alive pool, created lazily (after a fork)."""
    global _client
    if _client is None:
        with _client_lock:
            if _client is None:
                _client = httpx.Client(
                    timeout=httpx.Timeout(settings.UPSTREAM_READ_TIMEOUT, connect=settings.UPSTREAM_CONNECT_TIMEOUT),
                    limits=httpx.Limits(
                        max_connections=settings.UPSTREAM_POOL_SIZE,
                        max_keepalive_connections=settings.UPSTREAM_POOL_SIZE,
                    ),
                    follow_redirects=False,
                    headers={"Accept": "application/json", "User-Agent": "account-dashboard/1"},
                )
    return _client


def set_transport_for_tests(transport: httpx.BaseTransport | None) -> None:
    """Swap the pool for one built on ``transport`` (MockTransport in unit tests); None resets."""
    global _client
    with _client_lock:
        if _client is not None:
            _client.close()
        _client = (
            None
            if transport is None
            else httpx.Client(transport=transport, follow_redirects=False, headers={"Accept": "application/json"})
        )


def _timeout() -> httpx.Timeout:
    """Read per call, so a change of settings applies to the pool that already exists."""
    return httpx.Timeout(settings.UPSTREAM_READ_TIMEOUT, connect=settings.UPSTREAM_CONNECT_TIMEOUT)


def base_url(host: Host, api_url: str | None = None) -> str:
    if host is Host.AUTH:
        return f"{settings.SCALINGO_AUTH_URL}/v1"
    if host is Host.BILLING:
        return settings.SCALINGO_BILLING_URL
    return f"{(api_url or settings.SCALINGO_API_URL).rstrip('/')}/v1"


def fill(template: str, path_params: Mapping[str, str] | None) -> str:
    if not path_params:
        return template
    return template.format(**{k: quote(str(v), safe="") for k, v in path_params.items()})


@dataclass
class Reply:
    status: int
    body: dict[str, Any]
    headers: httpx.Headers


def call(
    method: str,
    host: Host,
    template: str,
    *,
    path_params: Mapping[str, str] | None = None,
    params: Mapping[str, Any] | None = None,
    json: Any = None,
    auth: Auth | None = None,
    basic: Basic | None = None,
    headers: Mapping[str, str] | None = None,
    api_url: str | None = None,
) -> Reply:
    """Send one request and return its JSON object, or raise an ``errors.UpstreamFailure``.

    Idempotent GETs are retried on connection errors and 502/503/504 with bounded backoff; writes
    never are. A 401 with a bearer triggers one re-exchange and one more try (the upstream refused
    the request before doing anything, so repeating it is safe even for a write).
    """
    url = base_url(host, api_url) + fill(template, path_params)
    started = time.monotonic()
    retries = settings.UPSTREAM_RETRIES if method in ("GET", "HEAD") else 0
    reexchanged = False
    attempt = 0
    while True:
        attempt += 1
        bearer = auth.bearer() if auth is not None else None
        try:
            response = _send(method, url, template, host, params, json, bearer, basic, headers)
        except errors.UpstreamConnectionError:
            # A timeout is not retried: it has already spent the time a page may take.
            if attempt <= retries and _time_left(started):
                _backoff(attempt)
                continue
            raise
        if response.status_code in RETRYABLE_STATUSES and attempt <= retries and _time_left(started):
            _backoff(attempt)
            continue
        if response.status_code == 401 and auth is not None and not reexchanged:
            reexchanged = True
            auth.reexchange(bearer)  # raises Unauthorized when the token no longer exchanges
            continue
        if response.status_code == 401 and reexchanged and method not in ("GET", "HEAD"):
            # A fresh bearer and still refused: the write's own credentials are wrong, not the session.
            raise errors.RequestRefused(str(_error_body(response).get("error") or ""))
        return _reply(response)


def _time_left(started: float) -> bool:
    return time.monotonic() - started < CALL_DEADLINE_SECONDS / 2


def _backoff(attempt: int) -> None:
    time.sleep(min(0.1 * 2 ** (attempt - 1), 0.5))


def _headers(bearer: str | None, extra: Mapping[str, str] | None, has_body: bool) -> dict[str, str]:
    headers = {"X-Request-ID": current_request_id()}
    if has_body:
        headers["Content-Type"] = "application/json"
    if bearer is not None:
        headers["Authorization"] = f"Bearer {bearer}"
    if extra:
        headers.update(extra)
    return headers


def _send(
    method: str,
    url: str,
    template: str,
    host: Host,
    params: Mapping[str, Any] | None,
    json: Any,
    bearer: str | None,
    basic: Basic | None,
    extra_headers: Mapping[str, str] | None,
) -> httpx.Response:
    headers = _headers(bearer, extra_headers, json is not None)
    with _transport(host.value, method, template) as outcome:
        response = client().request(
            method,
            url,
            params=params,
            content=None if json is None else jsonlib.dumps(json),
            headers=headers,
            auth=(basic.username, basic.password) if basic else None,
            timeout=_timeout(),
        )
        outcome["status"] = response.status_code
    return response


@contextmanager
def _transport(host: str, method: str, path: str) -> Iterator[dict[str, int | str]]:
    """Times and logs one exchange with the upstream, and turns transport failures into errors."""
    outcome: dict[str, int | str] = {"status": "error"}
    started = time.monotonic()
    try:
        yield outcome
    except httpx.TimeoutException as exc:
        outcome["status"] = "timeout"
        raise errors.UpstreamTimeout("The platform API did not answer in time.") from exc
    except httpx.TransportError as exc:
        outcome["status"] = "connection-error"
        raise errors.UpstreamConnectionError("The platform API could not be reached.") from exc
    finally:
        logger.info(
            "upstream call",
            extra={
                "upstream_host": host,
                "method": method,
                "path": path,
                "status": outcome["status"],
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
            },
        )


def _reply(response: httpx.Response) -> Reply:
    status = response.status_code
    if 200 <= status < 300 or status in (301, 302, 303, 307, 308):
        body = _json_object(response) if status not in (204, 301, 302, 303, 307, 308) else {}
        return Reply(status=status, body=body, headers=response.headers)
    raise error_for(response)


def _json_object(response: httpx.Response) -> dict[str, Any]:
    if not response.content:
        return {}
    try:
        body = response.json()
    except ValueError as exc:
        raise errors.MalformedResponse("The platform API sent an unreadable answer.") from exc
    if not isinstance(body, dict):
        raise errors.MalformedResponse("The platform API sent an answer of an unexpected shape.")
    return body


def _error_body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def error_for(response: httpx.Response) -> errors.UpstreamFailure:
    """Map a failed response to the error hierarchy. Branches on status, not on message text,
    except the documented ``OTP Required``."""
    status = response.status_code
    body = _error_body(response)
    message = str(body.get("error") or "")
    if status == 400:
        return errors.BadRequest(message or "The platform API refused the request.")
    if status == 401:
        if message == "OTP Required":
            return errors.OTPRequired(message)
        return errors.Unauthorized(message or "Not signed in.")
    if status == 402:
        url = body.get("url")
        return errors.PaymentRequired(message, url=url if isinstance(url, str) else None)
    if status == 403:
        return errors.Forbidden(message)
    if status == 404:
        resource = body.get("resource")
        return errors.NotFound(message or "not found", resource=resource if isinstance(resource, str) else None)
    if status == 409:
        return errors.Conflict(message)
    if status == 422:
        field_errors = body.get("errors")
        if isinstance(field_errors, dict) and field_errors:
            return errors.ValidationFailed(
                {
                    str(field): [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])]
                    for field, msgs in field_errors.items()
                }
            )
        return errors.MalformedResponse("The platform API refused the data without saying why.", status=422)
    if status == 429:
        return errors.RateLimited("Too many requests to the platform API.", retry_after_seconds=_retry_after(response))
    if status >= 500:
        return errors.ServerError(f"The platform API failed ({status}).", status=status)
    return errors.MalformedResponse(f"Unexpected answer from the platform API ({status}).", status=status)


def _retry_after(response: httpx.Response) -> int | None:
    """``Retry-After`` in seconds (not documented, but a proxy or the platform may send it)."""
    value = response.headers.get("Retry-After", "").strip()
    return min(int(value), 3600) if value.isdigit() else None
