"""The public catalog (§4): addon categories, providers with their plans, container sizes.

Auth is optional on every call. Descriptions are returned as the upstream wrote them, plain
strings: provider and plan HTML, category Markdown. Templates print them through the
``sanitize_html``, ``sanitize_inline_html`` and ``markdown_inline`` filters
(dashboard/templatetags/dashboard.py), which own the allow-list.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from dashboard.money import HOURS_PER_30_DAYS, MINUTES_PER_30_DAYS, Money, MoneyError

from . import errors, parse
from .http import Auth, Host, call


def http_url(value: Any) -> str | None:
    """A link the page may point at: http(s) only (never ``javascript:``)."""
    return parse.protocol_relative(value)


@dataclass(frozen=True)
class Pricing:
    """The ``pricings.default`` entry: a decimal-string price per period (minute, hour)."""

    price: Money
    period: str

    def per_30_days(self) -> Money | None:
        if self.period == "minute":
            return self.price * MINUTES_PER_30_DAYS
        if self.period == "hour":
            return self.price * HOURS_PER_30_DAYS
        return None

    def per_hour(self) -> Money | None:
        if self.period == "minute":
            return self.price * 60
        if self.period == "hour":
            return self.price
        return None


def pricing_from(value: Any) -> Pricing | None:
    """``{"default":{"price":"0.0001666667","currency":"EUR","period":"minute"}}``, or None."""
    if not isinstance(value, dict):
        return None
    default = value.get("default")
    if not isinstance(default, dict) or default.get("price") in (None, ""):
        return None
    currency = parse.string(default.get("currency"), "EUR") or "EUR"
    try:
        price = Money.from_euros(default.get("price"), currency)
    except MoneyError as exc:
        raise errors.MalformedResponse(str(exc)) from exc
    if price.is_negative():
        raise errors.MalformedResponse("a negative catalog price")
    period = parse.string(default.get("period"), "minute").lower() or "minute"
    return Pricing(price=price, period=period)


@dataclass(frozen=True)
class AddonCategory:
    id: str
    name: str
    description: str  # Markdown (§4.2), as written
    position: int


def category_from(value: Any) -> AddonCategory:
    data = parse.obj(value, "addon category")
    return AddonCategory(
        id=parse.string(data.get("id")),
        name=parse.string(data.get("name")),
        description=parse.string(data.get("description")),
        position=parse.integer(data.get("position")),
    )


@dataclass(frozen=True)
class AddonPlan:
    id: str
    name: str
    display_name: str
    description: str
    position: int
    sku: str
    on_demand: bool
    disabled: bool
    hds_available: bool
    disabled_alternative_plan_id: str | None
    # Filled in from the provider's other plans, when the alternative is one of them.
    disabled_alternative_name: str | None
    # Per 30 days: pricings × 43 200 minutes when present, else the deprecated ``price``.
    monthly_price: Money
    pricing: Pricing | None

    @property
    def price_source(self) -> str:
        return "pricings" if self.pricing is not None and self.pricing.per_30_days() is not None else "price"


def plan_from(value: Any) -> AddonPlan:
    data = parse.obj(value, "plan")
    pricing = pricing_from(data.get("pricings"))
    monthly = pricing.per_30_days() if pricing is not None else None
    if monthly is None:
        monthly = parse.money_euros(data.get("price"))
    return AddonPlan(
        id=parse.string(data.get("id")),
        name=parse.string(data.get("name")),
        display_name=parse.string(data.get("display_name")) or parse.string(data.get("name")),
        description=parse.string(data.get("description")),
        position=parse.integer(data.get("position")),
        sku=parse.string(data.get("sku")),
        on_demand=parse.boolean(data.get("on_demand")),
        disabled=parse.boolean(data.get("disabled")),
        hds_available=parse.boolean(data.get("hds_available")),
        disabled_alternative_plan_id=parse.optional_string(data.get("disabled_alternative_plan_id")),
        disabled_alternative_name=None,
        monthly_price=monthly,
        pricing=pricing,
    )


@dataclass(frozen=True)
class AddonProvider:
    id: str
    name: str
    logo_url: str | None
    short_description: str
    description: str
    provider_name: str
    provider_url: str | None
    category: AddonCategory | None
    hds_available: bool
    plans: tuple[AddonPlan, ...]

    @property
    def available_plans(self) -> tuple[AddonPlan, ...]:
        return tuple(plan for plan in self.plans if not plan.disabled)


def provider_from(value: Any) -> AddonProvider:
    data = parse.obj(value, "addon provider")
    plans = sorted(
        (plan_from(row) for row in parse.items(data.get("plans"), "plans")),
        key=lambda plan: (plan.position, plan.display_name),
    )
    names = {plan.id: plan.display_name for plan in plans}
    plans = [
        replace(plan, disabled_alternative_name=names.get(plan.disabled_alternative_plan_id or ""))
        if plan.disabled
        else plan
        for plan in plans
    ]
    category = data.get("category")
    return AddonProvider(
        id=parse.string(data.get("id")),
        name=parse.string(data.get("name")),
        logo_url=parse.protocol_relative(data.get("logo_url")),
        short_description=parse.string(data.get("short_description")),
        description=parse.string(data.get("description")),
        provider_name=parse.string(data.get("provider_name")),
        provider_url=http_url(data.get("provider_url")),
        category=category_from(category) if isinstance(category, dict) else None,
        hds_available=parse.boolean(data.get("hds_available")),
        plans=tuple(plans),
    )


@dataclass(frozen=True)
class ContainerSize:
    id: str
    name: str
    human_name: str
    ordinal: int
    memory: int
    human_cpu: str
    pids_limit: int | None
    sku: str
    hourly_price: Money
    thirtydays_price: Money
    pricing: Pricing | None


def size_from(value: Any) -> ContainerSize:
    data = parse.obj(value, "container size")
    pricing = pricing_from(data.get("pricings"))
    hourly = pricing.per_hour() if pricing is not None else None
    monthly = pricing.per_30_days() if pricing is not None else None
    if hourly is None:
        hourly = parse.money_cents(data.get("hourly_price"))
    if monthly is None:
        thirtydays = data.get("thirtydays_price")
        monthly = parse.money_cents(thirtydays) if thirtydays is not None else hourly * HOURS_PER_30_DAYS
    name = parse.string(data.get("name"))
    return ContainerSize(
        id=parse.string(data.get("id")),
        name=name,
        human_name=parse.string(data.get("human_name")) or name,
        ordinal=parse.integer(data.get("ordinal")),
        memory=parse.integer(data.get("memory")),
        human_cpu=parse.string(data.get("human_cpu")),
        pids_limit=parse.optional_integer(data.get("pids_limit")),
        sku=parse.string(data.get("sku")),
        hourly_price=hourly,
        thirtydays_price=monthly,
        pricing=pricing,
    )


def addon_category_list(*, auth: Auth | None = None) -> list[AddonCategory]:
    """``GET REGIONAL /addon_categories``, sorted by position."""
    reply = call("GET", Host.REGIONAL, "/addon_categories", auth=auth)
    rows = parse.items(parse.root(reply.body, "addon_categories"), "addon_categories")
    return sorted((category_from(row) for row in rows), key=lambda c: (c.position, c.name))


def addon_provider_list(*, auth: Auth | None = None, category_id: str | None = None) -> list[AddonProvider]:
    """``GET REGIONAL /addon_providers[?category_id=]``, in the upstream's order."""
    params = {"category_id": category_id} if category_id else None
    reply = call("GET", Host.REGIONAL, "/addon_providers", params=params, auth=auth)
    rows = parse.items(parse.root(reply.body, "addon_providers"), "addon_providers")
    return [provider_from(row) for row in rows]


def container_size_list(*, auth: Auth | None = None) -> list[ContainerSize]:
    """``GET REGIONAL /features/container_sizes``, sorted by ordinal.

    Anonymous callers get the standard sizes; with a bearer, the account's own sizes come too."""
    reply = call("GET", Host.REGIONAL, "/features/container_sizes", auth=auth)
    rows = parse.items(parse.root(reply.body, "container_sizes"), "container_sizes")
    return sorted((size_from(row) for row in rows), key=lambda s: (s.ordinal, s.name))
