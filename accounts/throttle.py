"""Sign-in throttling per client IP and per identity (a login, or a pasted token's fingerprint),
in the cache.

The identity is hashed before it becomes a cache key, and the same message is given whatever
the identity, so the throttle never tells whether an account exists. The counters live in the
cache: shared by every worker with ``REDIS_URL``, per worker process without it.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address the trusted proxy saw (X-Forwarded-For, counted from the right)."""
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if hops and forwarded:
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(chain) >= hops:
            return chain[-hops]
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def token_fingerprint(api_token: str) -> str:
    """A pasted API token as a throttle identity: its hash, so the secret is never a cache key."""
    return "token:" + hashlib.sha256(api_token.strip().encode()).hexdigest()


def _keys(request: HttpRequest, identity: str) -> list[str]:
    digest = hashlib.sha256(identity.strip().lower().encode()).hexdigest()[:32]
    return [f"signin-throttle:ip:{client_ip(request)}", f"signin-throttle:id:{digest}"]


def _window_key(key: str) -> str:
    return f"{key}:{int(time.time() // settings.SIGNIN_THROTTLE_WINDOW)}"


def is_blocked(request: HttpRequest, identity: str) -> bool:
    limit = settings.SIGNIN_THROTTLE_ATTEMPTS
    return any((cache.get(_window_key(key)) or 0) >= limit for key in _keys(request, identity))


def record_failure(request: HttpRequest, identity: str) -> None:
    for key in _keys(request, identity):
        windowed = _window_key(key)
        cache.add(windowed, 0, settings.SIGNIN_THROTTLE_WINDOW * 2)
        try:
            cache.incr(windowed)
        except ValueError:  # expired between add and incr
            cache.set(windowed, 1, settings.SIGNIN_THROTTLE_WINDOW * 2)


def clear_identity(request: HttpRequest, identity: str) -> None:
    cache.delete(_window_key(_keys(request, identity)[1]))


def retry_minutes() -> int:
    window = settings.SIGNIN_THROTTLE_WINDOW
    return max(1, -(-(window - int(time.time()) % window) // 60))
