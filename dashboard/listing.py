"""Lists the pages show: paging rows already in memory, a page number from the query string, and
CSV that a spreadsheet opens safely. Shared by every app (core: imports no app)."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from decimal import Decimal
from typing import TypeVar

from dashboard.upstream.parse import Page, Pagination

T = TypeVar("T")


def positive_int(raw: str | None, default: int, *, choices: tuple[int, ...] | None = None) -> int:
    """A page number or size from the query string; anything odd falls back to the default."""
    try:
        value = int(raw or "")
    except ValueError:
        return default
    if value < 1 or (choices is not None and value not in choices):
        return default
    return value


def paginate(rows: list[T], *, page: int, per_page: int) -> Page[T]:
    """A page of rows already in memory; a page past the end shows the last one."""
    total_pages = max(1, math.ceil(len(rows) / per_page))
    current = min(max(page, 1), total_pages)
    start = (current - 1) * per_page
    return Page(
        items=rows[start : start + per_page],
        pagination=Pagination(
            current_page=current,
            total_pages=total_pages,
            total_count=len(rows),
            previous_page=current - 1 if current > 1 else None,
            next_page=current + 1 if current < total_pages else None,
        ),
    )


def csv_text(header: list[str], rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_safe(value) for value in row])
    return buffer.getvalue()


def _csv_safe(value: str) -> str:
    # A cell starting with = + @ or a tab is a formula to a spreadsheet: neutralise it. A leading
    # minus is kept on numbers (credit lines are negative) but not on text.
    if value and (value[0] in "=+@\t\r" or (value[0] == "-" and not _is_number(value))):
        return "'" + value
    return value


def _is_number(value: str) -> bool:
    try:
        Decimal(value)
    except ArithmeticError:
        return False
    return True
