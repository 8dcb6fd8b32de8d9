"""Strict readers for settings that come from the environment.

Each reader records what is missing instead of failing at once, so that production start-up can
name every missing variable in one error (see ``require_all``).
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}

_missing: list[str] = []


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = _raw(name)
    if value is None:
        if required:
            _missing.append(name)
            return ""
        return default if default is not None else ""
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_float(name: str, default: float) -> float:
    value = _raw(name)
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from None


def env_list(name: str, default: list[str] | None = None, *, required: bool = False) -> list[str]:
    value = _raw(name)
    if value is None:
        if required:
            _missing.append(name)
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def require_all() -> None:
    """Fail loudly, naming every required variable that is missing."""
    if _missing:
        names = ", ".join(sorted(set(_missing)))
        _missing.clear()
        raise ImproperlyConfigured(f"Missing required environment variables: {names}")


@dataclass(frozen=True)
class HostEntry:
    """One allowed download host: ``host``, ``host:port`` or ``scheme://host:port``.

    Without a scheme, https only; a port given allows only that port, none allows any."""

    scheme: str | None
    host: str
    port: int | None

    @property
    def is_ip(self) -> bool:
        try:
            ipaddress.ip_address(self.host)
        except ValueError:
            return False
        return True


_HOST_NAME = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")


def host_entry(text: str) -> HostEntry:
    """Parse one entry strictly; a ``ValueError`` says what is wrong with it."""
    value = text.strip().lower()
    scheme: str | None = None
    if "://" in value:
        scheme, value = value.split("://", 1)
        if scheme not in ("http", "https"):
            raise ValueError(f"{text!r}: the scheme must be http or https")
    if not value or any(c in value for c in "/?#@ \\"):
        raise ValueError(f"{text!r}: give a host, host:port or scheme://host:port, without a path")
    parts = urlsplit(f"//{value}")
    host = parts.hostname or ""
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{text!r}: the port must be a number from 1 to 65535") from None
    if port == 0 or value.endswith(":"):
        raise ValueError(f"{text!r}: the port must be a number from 1 to 65535")
    if value.startswith("["):
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise ValueError(f"{text!r}: not an IPv6 address") from None
    elif not _HOST_NAME.match(host):
        raise ValueError(f"{text!r}: not a host name")
    return HostEntry(scheme=scheme, host=host, port=port)


def env_host_entries(name: str, default: str) -> list[str]:
    """A comma-separated list of ``host_entry`` values, every one checked at start-up."""
    value = _raw(name)
    items = [item.strip() for item in (default if value is None else value).split(",") if item.strip()]
    problems = []
    for item in items:
        try:
            host_entry(item)
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise ImproperlyConfigured(f"{name}: " + "; ".join(problems))
    return items
