"""Typed objects parsed from upstream JSON, shared across areas (users and tokens)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from . import errors, parse

T = TypeVar("T")


@dataclass(frozen=True)
class GithubIdentity:
    username: str
    email: str | None
    avatar_url: str | None
    profile_url: str | None


@dataclass(frozen=True)
class User:
    id: str
    email: str
    username: str
    fullname: str
    company: str
    location: str
    created_at: datetime | None
    free_trial_started_at: datetime | None
    free_trial_end_time: datetime | None
    suspended_at: datetime | None
    suspension_reason: str | None
    tos_accepted: bool
    email_newsletter: bool
    referral_url: str | None
    referral_clicks: int | None  # None when the platform sent something unreadable
    flags: dict[str, bool]
    limits: dict[str, str]
    role: str | None
    github: GithubIdentity | None
    unconfirmed_email: str | None
    preferences: dict[str, Any] | None = field(default=None)

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    @property
    def has_password(self) -> bool:
        """Accounts created with "Login with GitHub" have no password to give as current."""
        return self.github is None

    @property
    def display_name(self) -> str:
        return self.fullname or self.username


def _flags(value: Any) -> dict[str, bool]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise parse.malformed(f"expected an object, got {type(value).__name__}")
    return {str(k): parse.boolean(v) for k, v in value.items()}


def _limits(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise parse.malformed(f"expected an object, got {type(value).__name__}")
    return {str(k): parse.string(v) for k, v in value.items()}


def _github(value: Any) -> GithubIdentity | None:
    if not isinstance(value, dict) or not value.get("username"):
        return None
    return GithubIdentity(
        username=parse.string(value.get("username")),
        email=parse.optional_string(value.get("email")),
        avatar_url=parse.optional_string(value.get("avatar_url")),
        profile_url=parse.optional_string(value.get("profile_url")),
    )


def _preferences(value: Any) -> dict[str, Any] | None:
    if value is None or isinstance(value, dict):
        return value
    raise parse.malformed(f"expected an object, got {type(value).__name__}")


def user_from(value: Any) -> User:
    """Strict on what sign-in and the pages need (identity, profile fields, suspension);
    lenient on the rest, which is logged and replaced by a default when odd (issue 11 #3)."""
    data = parse.obj(value, "user")

    def lenient(name: str, read: Callable[[Any], T], default: T) -> T:
        return parse.lenient(f"user.{name}", read, data.get(name), default)

    return User(
        id=parse.string(data.get("id") or data.get("uuid")),
        email=parse.string(data.get("email")),
        username=parse.string(data.get("username")),
        fullname=parse.string(data.get("fullname")),
        company=parse.string(data.get("company")),
        location=parse.string(data.get("location")),
        created_at=lenient("created_at", parse.timestamp, None),
        free_trial_started_at=lenient("free_trial_started_at", parse.timestamp, None),
        free_trial_end_time=lenient("free_trial_end_time", parse.timestamp, None),
        suspended_at=parse.timestamp(data.get("suspended_at")),
        suspension_reason=parse.optional_string(data.get("suspension_reason")),
        tos_accepted=lenient("tos_accepted", parse.boolean, False),
        email_newsletter=parse.boolean(data.get("email_newsletter")),
        referral_url=lenient("referral_url", parse.optional_string, None),
        referral_clicks=lenient("referral_clicks", parse.optional_integer, None),
        flags=lenient("flags", _flags, {}),
        limits=lenient("limits", _limits, {}),
        role=lenient("role", parse.optional_string, None),
        github=lenient("github", _github, None),
        unconfirmed_email=lenient("unconfirmed_email", parse.optional_string, None),
        preferences=lenient("preferences", _preferences, None),
    )


@dataclass(frozen=True)
class Token:
    id: str
    name: str
    created_at: datetime | None
    last_used_at: datetime | None
    issued_at: datetime | None


@dataclass(frozen=True)
class CreatedToken:
    """A token with its secret: only ever in the answer to a create or renew, shown once."""

    token: Token
    secret: str

    def __repr__(self) -> str:
        return f"CreatedToken(token={self.token!r}, secret=***)"


def token_from(value: Any) -> Token:
    data = parse.obj(value, "token")
    return Token(
        id=parse.string(data.get("id")),
        name=parse.string(data.get("name")),
        created_at=parse.timestamp(data.get("created_at")),
        last_used_at=parse.timestamp(data.get("last_used_at")),
        issued_at=parse.timestamp(data.get("issued_at")),
    )


def created_token_from(value: Any) -> CreatedToken:
    data = parse.obj(value, "token")
    secret = parse.string(data.get("token"))
    if not secret:
        raise errors.MalformedResponse("a created token came without its secret")
    return CreatedToken(token=token_from(data), secret=secret)
