"""The platform's billing calendar, in one place: every page asks here which month is running.

The platform bills calendar months in UTC: usage is metered from midnight UTC, and a month's invoice
is charged at the beginning of the next month. The month that has not ended yet is the *running*
month: its usage and its invoice (still in state ``new``) are *in progress*, so they are never
compared with, or averaged among, complete months. Dates shown to a person keep the dashboard's
time zone; only the choice of month follows this clock.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time
from typing import Protocol

from django.utils import timezone


class HasBillingMonth(Protocol):
    @property
    def billing_month(self) -> date | None: ...


def now() -> datetime:
    """The platform's clock (UTC)."""
    return timezone.now().astimezone(UTC)


def today(at: datetime | None = None) -> date:
    """The platform's date: usage ranges (``from``/``to``) are UTC days."""
    return (at or now()).astimezone(UTC).date()


def month_add(month: date, count: int) -> date:
    """The first day of the month ``count`` months after ``month``'s."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_last_day(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def month_start(month: date) -> datetime:
    """Midnight UTC on the first day of ``month``: where the platform starts counting."""
    return datetime.combine(month.replace(day=1), time.min, tzinfo=UTC)


def running_month(at: datetime | None = None) -> date:
    """The first day of the month being billed now (not complete yet)."""
    return today(at).replace(day=1)


def last_complete_month(at: datetime | None = None) -> date:
    return month_add(running_month(at), -1)


def is_complete(month: date, at: datetime | None = None) -> bool:
    return month.replace(day=1) < running_month(at)


def in_progress(invoice: HasBillingMonth, at: datetime | None = None) -> bool:
    """An invoice of the running month: it grows until the month ends and is charged after."""
    return invoice.billing_month is not None and not is_complete(invoice.billing_month, at)
