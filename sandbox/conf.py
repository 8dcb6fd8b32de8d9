"""Sandbox knobs, read at call time so ``override_settings`` and the environment both work.

Each knob is looked up in Django settings first, then in the environment, then defaults.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from django.conf import settings

_TRUE = {"true", "1", "yes", "on"}


def _raw(name: str) -> Any:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name)
        if value is not None and value.strip() == "":
            value = None
    return value


def _int(name: str, default: int) -> int:
    value = _raw(name)
    return default if value is None else int(value)


def _float(name: str, default: float) -> float:
    value = _raw(name)
    return default if value is None else float(value)


def rate_limit() -> int:
    """Requests per sliding minute and identity; 0 turns the limit off."""
    return _int("SANDBOX_RATE_LIMIT", 60)


def latency_ms() -> int:
    return _int("SANDBOX_LATENCY_MS", 0)


def fault_rate() -> float:
    return _float("SANDBOX_FAULT_RATE", 0.0)


def hang_seconds() -> float:
    return _float("SANDBOX_HANG_SECONDS", 30.0)


def jwt_ttl() -> int:
    return _int("SANDBOX_JWT_TTL", 3600)


def strict_delete() -> bool:
    value = _raw("SANDBOX_STRICT_DELETE")
    if isinstance(value, bool):
        return value
    return value is not None and str(value).strip().lower() in _TRUE


def jwt_secret() -> str:
    value = _raw("SANDBOX_JWT_SECRET")
    if value:
        return str(value)
    return hashlib.sha256(f"sandbox-jwt:{settings.SECRET_KEY}".encode()).hexdigest()
