"""Identifier shapes used by the platform (contract §0)."""

from __future__ import annotations

import secrets
import uuid


def object_id() -> str:
    """A 24-hex MongoDB-like ObjectId (apps, keys, plans, billing profiles)."""
    return secrets.token_hex(12)


def user_id() -> str:
    return f"us-{uuid.uuid4()}"


def addon_id() -> str:
    return f"ad-{uuid.uuid4()}"


def bare_uuid() -> str:
    return str(uuid.uuid4())


def token_secret() -> str:
    return "tk-us-" + secrets.token_urlsafe(36)[:48]


def stable_uuid(*parts: str) -> str:
    """A deterministic uuid, so seeded ids survive a re-seed."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "sandbox:" + ":".join(parts)))


def stable_object_id(*parts: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, "sandbox-oid:" + ":".join(parts)).hex[:24]
