"""What an unhandled error leaves behind: a redacted traceback in the logs and, when ``SENTRY_DSN`` is
set, a Sentry event carrying no personal data and no secret.

Secrets reach an exception only by accident (a message quoting a header, a URL with credentials),
so tracebacks are redacted by shape: API tokens, bearers, JWTs, Fernet tokens, ``password=…``
pairs and credentials in URLs. Local variables are never recorded, in the logs or in Sentry.
"""

from __future__ import annotations

import re
import traceback
from types import TracebackType
from typing import Any

FILTERED = "[Filtered]"

_PATTERNS = [
    # Scalingo API tokens (tk-us-…), whatever surrounds them.
    (re.compile(r"tk-us-[A-Za-z0-9_-]+"), "tk-us-" + FILTERED),
    # Authorization header values.
    (re.compile(r"\b(Bearer|Basic)\s+(?![^\s]*\[Filtered)[A-Za-z0-9._~+/=-]+", re.IGNORECASE), r"\1 " + FILTERED),
    # JWTs (the platform's bearers) and Fernet tokens (the session's encrypted secrets).
    (re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), FILTERED),
    (re.compile(r"\bgAAAAA[A-Za-z0-9_=-]+"), FILTERED),
    # password=…, "otp": "…", api_token: … and the like, in query strings, reprs and JSON.
    (
        re.compile(
            r"""(?P<key>\b[\w-]*(?:password|passwd|secret|token|otp|cookie|authorization|csrf)[\w-]*)"""
            r"""(?P<sep>['"]?\s*[:=]\s*['"]?)(?!(?:Bearer|Basic)\s|[^\s'"&,;)}\]]*\[Filtered)(?P<value>[^\s'"&,;)}\]]+)""",
            re.IGNORECASE,
        ),
        r"\g<key>\g<sep>" + FILTERED,
    ),
    # Credentials in URLs: scheme://user:password@host.
    (re.compile(r"(://[^/\s:@]+):[^/\s@]+@"), r"\1:" + FILTERED + "@"),
]

_SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-csrftoken", "x-api-key"}


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


def format_traceback(exc_info: ExcInfo) -> str:
    """The traceback as Python prints it (files, lines, code, message; no locals), redacted."""
    kind, value, tb = exc_info
    if kind is None:
        return ""
    return redact("".join(traceback.format_exception(kind, value, tb)).rstrip())


def scrub_event(event: Any, hint: Any = None) -> Any:
    """Sentry's ``before_send``: the request keeps its method, URL and harmless headers, nothing else."""
    request = event.get("request")
    if isinstance(request, dict):
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: FILTERED if name.lower() in _SECRET_HEADERS else redact(str(value))
                for name, value in headers.items()
            }
        for key in ("cookies", "env"):  # env holds REMOTE_ADDR, the client's IP
            request.pop(key, None)
        if request.get("data"):
            request["data"] = FILTERED
        if request.get("query_string"):
            request["query_string"] = FILTERED
        if isinstance(request.get("url"), str):
            request["url"] = redact(request["url"])
    event.pop("user", None)
    for value in (event.get("exception") or {}).get("values") or []:
        if isinstance(value.get("value"), str):
            value["value"] = redact(value["value"])
        for frame in (value.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for crumb in (event.get("breadcrumbs") or {}).get("values") or []:
        if isinstance(crumb.get("message"), str):
            crumb["message"] = redact(crumb["message"])
        crumb.pop("data", None)
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        for key in ("message", "formatted"):
            if isinstance(logentry.get(key), str):
                logentry[key] = redact(logentry[key])
        logentry.pop("params", None)
    return event


def init_sentry(*, dsn: str, environment: str | None, release: str | None, **options: Any) -> None:
    """Error reports to Sentry, scrubbed. Only called when ``SENTRY_DSN`` is set."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration()],
        # No personal data: this SDK replaces send_default_pii=False (deprecated since 2.7x, and the
        # default when unset) with data_collection, here with every category off. before_send then
        # scrubs what is left, whatever the SDK version collects.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "denylist", "terms": sorted(_SECRET_HEADERS)}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "database_query_data": False,
            "stack_frame_variables": False,
        },
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0.0,
        before_send=scrub_event,
        **options,
    )
