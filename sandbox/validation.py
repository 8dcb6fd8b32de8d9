"""Input rules the sandbox enforces (the platform documents none; these are its choices).

- email: ``local@domain.tld`` without spaces, at most 254 characters, unique (case-insensitive).
- username: ``^[a-z0-9][a-z0-9_-]{1,48}$`` (2–49 lower-case letters, digits, ``-`` or ``_``,
  not starting with ``-``/``_``), unique.
- password: 8 to 72 characters.
- VAT number: empty, or two letters then 2–13 letters/digits (spaces and dots ignored).
"""

from __future__ import annotations

import re

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,48}$")
VAT_RE = re.compile(r"^[A-Z]{2}[0-9A-Z]{2,13}$")
PASSWORD_MIN = 8
PASSWORD_MAX = 72


def email_problem(value: str) -> str | None:
    if not value:
        return "can't be blank"
    if len(value) > 254 or not EMAIL_RE.match(value):
        return "is invalid"
    return None


def username_problem(value: str) -> str | None:
    if not USERNAME_RE.match(value):
        return "should contain only lowercase letters, digits, hyphens and underscores (2 to 49)"
    return None


def password_problem(value: str) -> str | None:
    if len(value) < PASSWORD_MIN:
        return f"is too short (minimum is {PASSWORD_MIN} characters)"
    if len(value) > PASSWORD_MAX:
        return f"is too long (maximum is {PASSWORD_MAX} characters)"
    return None


def vat_normalized(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value).upper()


def vat_problem(value: str) -> str | None:
    if value and not VAT_RE.match(vat_normalized(value)):
        return "is not a valid VAT number"
    return None
