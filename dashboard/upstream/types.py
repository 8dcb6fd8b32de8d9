"""Typed objects parsed from upstream JSON, shared across areas (users and tokens)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import errors, parse


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
    referral_clicks: int
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


def user_from(value: Any) -> User:
    data = parse.obj(value, "user")
    github = data.get("github")
    github_identity = None
    if isinstance(github, dict) and github.get("username"):
        github_identity = GithubIdentity(
            username=parse.string(github.get("username")),
            email=parse.optional_string(github.get("email")),
            avatar_url=parse.optional_string(github.get("avatar_url")),
            profile_url=parse.optional_string(github.get("profile_url")),
        )
    flags = data.get("flags") or {}
    limits = data.get("limits") or {}
    preferences = data.get("preferences")
    return User(
        id=parse.string(data.get("id") or data.get("uuid")),
        email=parse.string(data.get("email")),
        username=parse.string(data.get("username")),
        fullname=parse.string(data.get("fullname")),
        company=parse.string(data.get("company")),
        location=parse.string(data.get("location")),
        created_at=parse.timestamp(data.get("created_at")),
        free_trial_started_at=parse.timestamp(data.get("free_trial_started_at")),
        free_trial_end_time=parse.timestamp(data.get("free_trial_end_time")),
        suspended_at=parse.timestamp(data.get("suspended_at")),
        suspension_reason=parse.optional_string(data.get("suspension_reason")),
        tos_accepted=parse.boolean(data.get("tos_accepted")),
        email_newsletter=parse.boolean(data.get("email_newsletter")),
        referral_url=parse.optional_string(data.get("referral_url")),
        referral_clicks=parse.integer(data.get("referral_clicks")),
        flags={str(k): bool(v) for k, v in flags.items()} if isinstance(flags, dict) else {},
        limits={str(k): parse.string(v) for k, v in limits.items()} if isinstance(limits, dict) else {},
        role=parse.optional_string(data.get("role")),
        github=github_identity,
        unconfirmed_email=parse.optional_string(data.get("unconfirmed_email")),
        preferences=preferences if isinstance(preferences, dict) else None,
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
