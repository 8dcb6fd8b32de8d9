"""Where the activity pages get their data: the latest events, cached per user, in words.

One upstream call gives the latest ``WINDOW`` events (the largest page the platform serves); the
Activity page filters and pages within them, the Authentication page shows the latest security
lines and the Billing page reads the payment attempts, all from the same cached read.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

from activity import wording
from dashboard import readcache
from dashboard.caller import Caller
from dashboard.listing import csv_text, paginate
from dashboard.upstream import events as upstream
from dashboard.upstream.parse import Page
from dashboard.upstream.types import User

logger = logging.getLogger("dashboard.activity")

WINDOW = upstream.MAX_PER_PAGE
PER_PAGE_CHOICES = (10, 20, 50)
DEFAULT_PER_PAGE = 20
SECURITY_PREVIEW = 5


def event_window(*, caller: Caller) -> Page[upstream.Event]:
    """The latest events, reused for a few seconds by this user only; the user's writes drop it."""
    return readcache.cached(caller, "events", lambda: upstream.event_list(auth=caller.auth, page=1, per_page=WINDOW))


def forget(user_id: str) -> None:
    readcache.forget(user_id, "events")


def time_zone_of(user: User | None) -> tzinfo:
    """The person's own time zone (``preferences.time_zone``), else the site's."""
    name = (user.preferences or {}).get("time_zone") if user is not None else None
    if isinstance(name, str) and name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            logger.info("unknown time zone in preferences", extra={"time_zone": name[:60]})
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Line:
    event: upstream.Event
    kind: str
    new_address: bool

    @cached_property
    def text(self) -> str:
        return wording.describe(self.event)

    @property
    def kind_label(self) -> str:
        return str(wording.KIND_LABELS[self.kind])

    @property
    def details(self) -> tuple[tuple[str, str], ...]:
        """What an event without wording carries, so nothing the platform said is lost."""
        data = self.event.data
        if not isinstance(data, upstream.OtherData) or wording.has_words(self.event):
            return ()
        return data.fields

    @property
    def failed(self) -> bool:
        data = self.event.data
        if isinstance(data, upstream.PaymentAttemptData):
            return data.outcome == "failed"
        return self.event.type in ("login_failure", "login_lock")


def lines_of(events: Iterable[upstream.Event]) -> list[Line]:
    """Lines newest first; an address is marked new when an older event in the list has an
    address and none of them is this one (the oldest address has nothing to compare with)."""
    items = list(events)
    seen: set[str] = set()
    marks: dict[int, bool] = {}
    for index in range(len(items) - 1, -1, -1):
        ip = items[index].remote_ip
        if ip:
            marks[index] = bool(seen) and ip not in seen
            seen.add(ip)
    return [
        Line(event=event, kind=wording.kind_of(event), new_address=marks.get(i, False)) for i, event in enumerate(items)
    ]


def kind_from(value: str | None) -> str:
    return value if value in wording.KINDS else ""


def filtered(lines: list[Line], kind: str) -> list[Line]:
    return [line for line in lines if line.kind == kind] if kind else lines


@dataclass(frozen=True)
class ActivityPage:
    page: Page[Line]
    total_lines: int
    upstream_total: int

    @property
    def truncated(self) -> bool:
        """The platform keeps more events than the window shows."""
        return self.upstream_total > self.total_lines


def activity_page(*, caller: Caller, kind: str, page: int, per_page: int) -> ActivityPage:
    window = event_window(caller=caller)
    every = lines_of(window.items)
    return ActivityPage(
        page=paginate(filtered(every, kind), page=page, per_page=per_page),
        total_lines=len(every),
        upstream_total=window.pagination.total_count,
    )


def security_recent(*, caller: Caller) -> list[Line]:
    """The latest sign-ins, 2FA, password, token and key events, for the Authentication page."""
    lines = lines_of(event_window(caller=caller).items)
    wanted = (wording.SECURITY, wording.TOKENS)
    return [line for line in lines if line.kind in wanted][:SECURITY_PREVIEW]


@dataclass(frozen=True)
class SecurityActivity:
    """The Authentication page's card: its lines in the person's time zone, or why there are none."""

    lines: list[Line]
    zone: tzinfo
    error: Exception | None = None

    @classmethod
    def of(cls, result: list[Line] | Exception, user: User | None) -> SecurityActivity:
        zone = time_zone_of(user)
        if isinstance(result, Exception):
            return cls(lines=[], zone=zone, error=result)
        return cls(lines=result, zone=zone)


def payment_attempts(*, caller: Caller) -> list[upstream.Event]:
    return [e for e in event_window(caller=caller).items if isinstance(e.data, upstream.PaymentAttemptData)]


CSV_HEADER = ["time", "kind", "type", "description", "address", "new_address", "user", "app"]


def csv_rows(lines: Iterable[Line], zone: tzinfo) -> Iterator[list[str]]:
    for line in lines:
        event = line.event
        when: datetime | None = event.created_at
        yield [
            when.astimezone(zone).isoformat(timespec="seconds") if when else "",
            line.kind,
            event.type,
            line.text,
            event.remote_ip or "",
            "yes" if line.new_address else "",
            event.user.username if event.user else "",
            event.app_name or "",
        ]


def activity_csv(lines: Iterable[Line], zone: tzinfo) -> str:
    return csv_text(CSV_HEADER, csv_rows(lines, zone))
