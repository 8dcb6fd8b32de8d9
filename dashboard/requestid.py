"""The id of the request being served, for log lines and for the upstream's X-Request-ID."""

from __future__ import annotations

import contextvars
import re
import uuid
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


def bind_request_id(incoming: str | None) -> contextvars.Token[str]:
    """Reuse the proxy's id when it looks like one; otherwise make a new one."""
    value = incoming if incoming and _VALID.match(incoming) else uuid.uuid4().hex
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token[str]) -> None:
    _request_id.reset(token)


def run_with_request_id(request_id: str, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run ``fn`` with the given request id bound (for work handed to a thread pool)."""
    token = _request_id.set(request_id)
    try:
        return fn(*args, **kwargs)
    finally:
        _request_id.reset(token)
