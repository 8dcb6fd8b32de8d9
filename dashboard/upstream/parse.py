"""Strict-but-tolerant readers that turn upstream JSON values into typed Python values.

They accept every shape the published examples show (upstream-api.md §8) and raise
``MalformedResponse`` for anything else, so a view never sees a raw upstream dict.

What a page needs is read strictly. A field nobody needs to sign in or to show a page is read with
``lenient``: an odd value there is logged, noted for ``upstream_check`` and replaced by a default,
so it never stops a page. Every error names the field it was reading (``user.referral_clicks``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

from django.conf import settings

from dashboard.money import Money, MoneyError

from .errors import MalformedResponse

T = TypeVar("T")

logger = logging.getLogger("dashboard.upstream")

# The field being read, so an error can name it: set by ``Record.get`` and ``root``.
_reading: ContextVar[str | None] = ContextVar("upstream_field", default=None)
# Fields ``lenient`` replaced by a default, collected while ``tolerated()`` is active.
_tolerated: ContextVar[list[Tolerated] | None] = ContextVar("upstream_tolerated", default=None)


@dataclass(frozen=True)
class Tolerated:
    field: str
    reason: str


def malformed(message: str) -> MalformedResponse:
    """The error for an unreadable value, naming the field being read."""
    return MalformedResponse(message, field=_reading.get())


class Record(dict[str, Any]):
    """An upstream JSON object that remembers its name, so ``get`` can tell errors which field."""

    what: str = ""

    def get(self, key: str, default: Any = None) -> Any:
        _reading.set(f"{self.what}.{key}")
        return super().get(key, default)


def obj(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MalformedResponse(f"expected an object for {what}", field=_reading.get() or what)
    record = Record(value)
    record.what = what
    return record


def root(body: dict[str, Any], key: str) -> Any:
    _reading.set(key)
    if key not in body:
        raise MalformedResponse(f"missing root key {key!r}", field=key)
    return body[key]


def items(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise MalformedResponse(f"expected a list for {what}", field=_reading.get() or what)
    return value


def lenient(field: str, read: Callable[[Any], T], value: Any, default: T) -> T:
    """``read(value)``, or ``default`` when the value is odd: for fields no page depends on."""
    try:
        return read(value)
    except MalformedResponse as exc:
        reason = exc.message
        logger.warning("upstream field tolerated", extra={"field": field, "reason": reason})
        collected = _tolerated.get()
        if collected is not None:
            collected.append(Tolerated(field=field, reason=reason))
        return default


@contextmanager
def tolerated() -> Iterator[list[Tolerated]]:
    """Collects the fields ``lenient`` replaced while the block runs (``upstream_check`` reports them)."""
    collected: list[Tolerated] = []
    token = _tolerated.set(collected)
    try:
        yield collected
    finally:
        _tolerated.reset(token)


def string(value: Any, default: str = "") -> str:
    if value is None:
        return default
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise malformed(f"expected text, got {type(value).__name__}")


def optional_string(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return string(value)


def boolean(value: Any, default: bool = False) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    raise malformed(f"expected a boolean, got {value!r}")


def integer(value: Any, default: int | None = 0) -> int:
    """An int, or a numeric string such as referral ``clicks`` ``"165"`` (§8.1)."""
    if value is None or value == "":
        if default is None:
            raise malformed("expected a number, got nothing")
        return default
    if isinstance(value, bool):
        raise malformed(f"expected a number, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    raise malformed(f"expected a whole number, got {value!r}")


def optional_integer(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return integer(value)


def money_cents(value: Any) -> Money:
    try:
        return Money.from_cents(0 if value is None else value)
    except MoneyError as exc:
        raise malformed(str(exc)) from exc


def money_euros(value: Any) -> Money:
    try:
        return Money.from_euros(0 if value in (None, "") else value)
    except MoneyError as exc:
        raise malformed(str(exc)) from exc


def timestamp(value: Any) -> datetime | None:
    """ISO-8601 with ms, ``Z`` or an offset; a naive value is taken as UTC. Blank is None."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise malformed(f"expected a date, got {value!r}")
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise malformed(f"unreadable date {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def day(value: Any) -> date | None:
    """``YYYY-MM-DD`` (``billing_month``), or a full timestamp cut to its date."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise malformed(f"expected a date, got {value!r}")
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise malformed(f"unreadable date {value!r}") from None


def month_year(value: Any) -> date | None:
    """``"8/2020"`` (usage ``first_month``) or ``"10/2020"`` (card expiry): the month's first day."""
    if value is None or value == "":
        return None
    match = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*", str(value))
    if not match:
        raise malformed(f"unreadable month {value!r}")
    month, year = int(match.group(1)), int(match.group(2))
    if year < 100:
        year += 2000
    if not 1 <= month <= 12:
        raise malformed(f"unreadable month {value!r}")
    return date(year, month, 1)


def protocol_relative(url: Any) -> str | None:
    """``//cdn…/logo.svg`` takes the scheme of the API that sent it (https for the platform, http
    for a local sandbox); only http(s) URLs pass, so ``javascript:`` and the like never do."""
    text = optional_string(url)
    if text is None:
        return None
    if text.startswith("//"):
        text = f"{urlsplit(settings.SCALINGO_API_URL).scheme or 'https'}:{text}"
    if not re.match(r"^https?://", text):
        return None
    return text


@dataclass(frozen=True)
class Pagination:
    current_page: int
    total_pages: int
    total_count: int
    previous_page: int | None
    next_page: int | None

    @classmethod
    def from_meta(cls, body: dict[str, Any], *, count: int) -> Pagination:
        """Reads ``previous_page`` or ``prev_page`` (§6, §8.2); derives neighbours if both lack."""
        meta = body.get("meta")
        pagination = meta.get("pagination") if isinstance(meta, dict) else None
        if not isinstance(pagination, dict):
            return cls(current_page=1, total_pages=1, total_count=count, previous_page=None, next_page=None)
        current = integer(pagination.get("current_page"), default=1) or 1
        total_pages = max(integer(pagination.get("total_pages"), default=1), 1)
        total_count = integer(pagination.get("total_count"), default=count)
        previous = pagination.get("previous_page", pagination.get("prev_page"))
        if "previous_page" not in pagination and "prev_page" not in pagination:
            previous = current - 1 if current > 1 else None
        following = (
            pagination.get("next_page")
            if "next_page" in pagination
            else (current + 1 if current < total_pages else None)
        )
        return cls(
            current_page=current,
            total_pages=total_pages,
            total_count=total_count,
            previous_page=optional_integer(previous) or None,
            next_page=optional_integer(following) or None,
        )


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    pagination: Pagination


def page_of(body: dict[str, Any], key: str, parse_item: Callable[[Any], T]) -> Page[T]:
    rows = [parse_item(row) for row in items(root(body, key), key)]
    return Page(items=rows, pagination=Pagination.from_meta(body, count=len(rows)))
