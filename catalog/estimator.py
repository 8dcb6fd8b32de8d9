"""The price estimator: container sizes × counts and addon plans × counts → a 30-day estimate.

The form is a plain GET form whose query string is the shareable link: ``?size-M=2&addon-
postgresql-starter-512=1``. Each count is read exactly as typed, so a refused value comes back
in its field with a message next to it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dashboard.money import Money, format_number
from dashboard.upstream.catalog import AddonPlan, AddonProvider, ContainerSize

SIZE_PREFIX = "size-"
ADDON_PREFIX = "addon-"
# More than this is a typing slip, not a plan: the platform's own scaling limits are far lower.
MAX_CONTAINERS = 1000
MAX_ADDONS = 100
_WHOLE_NUMBER = re.compile(r"[0-9]+")
_NEGATIVE = re.compile(r"-\s*[0-9]+([.,][0-9]*)?")
# Names from a shared link are echoed back only when they look like a size or plan name, so a
# crafted link cannot make the page say arbitrary things.
_ITEM_NAME = re.compile(r"[A-Za-z0-9._-]{1,60}")
MAX_UNKNOWN_SHOWN = 10


@dataclass(frozen=True)
class Choice:
    """One count input: what it prices, what was typed, and what is wrong with it."""

    field: str
    html_id: str
    label: str
    detail: str
    unit_price: Money
    raw: str
    count: int
    error: str | None
    on_demand: bool = False
    # The provider of an addon plan: part of the field's accessible name (plans share names).
    group: str = ""
    memory: int | None = None


@dataclass(frozen=True)
class AddonGroup:
    provider: AddonProvider
    choices: list[Choice]

    @property
    def open(self) -> bool:
        return any(choice.raw for choice in self.choices)


@dataclass(frozen=True)
class Line:
    label: str
    count: int
    unit_price: Money
    subtotal: Money


@dataclass(frozen=True)
class Estimate:
    size_choices: list[Choice]
    addon_groups: list[AddonGroup]
    lines: list[Line]
    total: Money
    unknown: list[str]
    query: str

    @property
    def choices(self) -> list[Choice]:
        return self.size_choices + [choice for group in self.addon_groups for choice in group.choices]

    @property
    def has_errors(self) -> bool:
        return any(choice.error for choice in self.choices)


def read_count(raw: str, maximum: int) -> tuple[int, str | None]:
    """The count typed in a field: blank is zero; anything but a whole number in range is refused."""
    text = raw.strip()
    if not text:
        return 0, None
    if _NEGATIVE.fullmatch(text):
        return 0, _("A count cannot be negative.")
    if not _WHOLE_NUMBER.fullmatch(text):
        return 0, _("Enter a whole number, such as 2.")
    if len(text) > 9 or int(text) > maximum:
        limit = format_number(maximum, get_language())
        return 0, _("That is too many: enter %(maximum)s at most.") % {"maximum": limit}
    return int(text), None


def _choice(
    field: str, html_id: str, label: str, detail: str, price: Money, raw: str, maximum: int, **extra: Any
) -> Choice:
    count, error = read_count(raw, maximum)
    return Choice(field, html_id, label, detail, price, raw.strip()[:40], count, error, **extra)


def _unique_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def estimate(query: Mapping[str, str], sizes: list[ContainerSize], providers: list[AddonProvider]) -> Estimate:
    """Read the counts in ``query`` against the catalog and price them, line by line."""
    taken: set[str] = set()
    size_choices = [
        _choice(
            SIZE_PREFIX + size.name,
            _unique_id("count-size-" + (slugify(size.name) or "x"), taken),
            size.human_name,
            size.human_cpu,
            size.thirtydays_price,
            query.get(SIZE_PREFIX + size.name, ""),
            MAX_CONTAINERS,
            memory=size.memory,
        )
        for size in sizes
    ]
    groups = []
    for provider in providers:
        choices = [
            _plan_choice(provider, plan, query.get(ADDON_PREFIX + plan.name, ""), taken)
            for plan in provider.available_plans
        ]
        if choices:
            groups.append(AddonGroup(provider=provider, choices=choices))
    known = {choice.field for choice in size_choices} | {c.field for g in groups for c in g.choices}
    unknown = [
        key.split("-", 1)[1]
        for key, value in query.items()
        if key.startswith((SIZE_PREFIX, ADDON_PREFIX))
        and key not in known
        and value.strip() not in ("", "0")
        and _ITEM_NAME.fullmatch(key.split("-", 1)[1])
    ][:MAX_UNKNOWN_SHOWN]
    lines = [
        Line(
            label=_("%(size)s containers") % {"size": choice.label},
            count=choice.count,
            unit_price=choice.unit_price,
            subtotal=_subtotal(choice),
        )
        for choice in size_choices
        if choice.count
    ]
    lines += [
        Line(
            label=f"{group.provider.name} {choice.label}",
            count=choice.count,
            unit_price=choice.unit_price,
            subtotal=_subtotal(choice),
        )
        for group in groups
        for choice in group.choices
        if choice.count
    ]
    total = sum((line.subtotal for line in lines), Money.zero())
    all_choices = size_choices + [c for g in groups for c in g.choices]
    shared = urlencode([(c.field, c.raw) for c in all_choices if c.raw and c.raw != "0"])
    return Estimate(
        size_choices=size_choices, addon_groups=groups, lines=lines, total=total, unknown=unknown, query=shared
    )


def _plan_choice(provider: AddonProvider, plan: AddonPlan, raw: str, taken: set[str]) -> Choice:
    return _choice(
        ADDON_PREFIX + plan.name,
        _unique_id("count-addon-" + (slugify(plan.name) or "x"), taken),
        plan.display_name,
        provider.name,
        plan.monthly_price,
        raw,
        MAX_ADDONS,
        on_demand=plan.on_demand,
        group=provider.name,
    )


def _subtotal(choice: Choice) -> Money:
    # Each line is rounded to the cent, and the total is the sum of the lines as shown.
    return (choice.unit_price * choice.count).rounded()
