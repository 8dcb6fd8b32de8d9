"""Page-number pagination for invoices, billing operations and events (contract §6).

``page`` is 1-based (default 1) and ``per_page`` defaults to 20. A value that is not a positive
whole number answers 422 on that field; ``per_page`` above 100 is clamped to 100. A page past
the end is an empty list. ``meta.pagination`` carries both ``prev_page`` and ``previous_page``,
null at the ends.
"""

from __future__ import annotations

import math
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from sandbox.http import Invalid

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


def _positive(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise Invalid({name: ["must be a positive integer"]})
    return int(raw)


def paginate(request: HttpRequest, queryset: QuerySet[Any]) -> tuple[list[Any], dict[str, Any]]:
    page = _positive(request, "page", 1)
    per_page = min(_positive(request, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    total = queryset.count()
    total_pages = max(1, math.ceil(total / per_page))
    start = (page - 1) * per_page
    items = list(queryset[start : start + per_page])
    previous = page - 1 if 1 < page <= total_pages + 1 else None
    meta = {
        "pagination": {
            "current_page": page,
            "per_page": per_page,
            "prev_page": previous,
            "previous_page": previous,
            "next_page": page + 1 if page < total_pages else None,
            "total_pages": total_pages,
            "total_count": total,
        }
    }
    return items, meta
