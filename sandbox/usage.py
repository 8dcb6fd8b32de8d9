"""Consumption computed from runtime and addon records, shared by ``/account/usage`` and the
invoices the seed generates (so both always agree).

A range is ``[from, to)``: ``from`` is included and ``to`` excluded, so ``from=2020-10-01&
to=2020-11-01`` is exactly October. Durations are in minutes; a runtime's ``duration`` counts
container-minutes (2 containers for 10 minutes = 20). Prices: runtimes cost their size's
``thirtydays_price`` spread over 43 200 minutes; addons their plan's per-minute ``pricings``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sandbox.catalog_data import MINUTES_PER_30_DAYS, PLANS, PROVIDER_BY_ID, SIZE_BY_NAME, per_minute, thirtydays_cents
from sandbox.models import AddonRecord, App, ContainerSize, RuntimeRecord
from sandbox.serializers import iso, month_label


def overlap_minutes(start: datetime, end: datetime | None, lo: datetime, hi: datetime) -> int:
    """Whole minutes of ``[start, end)`` inside ``[lo, hi)``; ``end`` None means ``hi``."""
    first = max(start, lo)
    last = min(end or hi, hi)
    if last <= first:
        return 0
    return int((last - first).total_seconds() // 60)


def cents(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class SizeInfo:
    id: str
    name: str
    human_name: str
    human_cpu: str
    memory: int
    ordinal: int
    hourly_price: int
    sku: str

    def json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "human_cpu": self.human_cpu,
            "name": self.name,
            "human_name": self.human_name,
            "memory": self.memory,
            "ordinal": self.ordinal,
            "hourly_price": self.hourly_price,
            "thirtydays_price": thirtydays_cents(self.hourly_price),
            "sku": self.sku,
        }


def size_table(region: str, custom: Iterable[ContainerSize] = ()) -> dict[str, SizeInfo]:
    table = {
        size.name: SizeInfo(
            size.id,
            size.name,
            size.human_name or size.name,
            size.human_cpu,
            size.memory,
            size.ordinal,
            size.hourly_price,
            f"{region}-app-{size.name}",
        )
        for size in SIZE_BY_NAME.values()
    }
    for size in custom:
        table[size.name] = SizeInfo(
            size.id,
            size.name,
            size.human_name,
            size.human_cpu,
            size.memory,
            size.ordinal,
            size.hourly_price,
            size.sku,
        )
    return table


def runtime_price(size: SizeInfo, container_minutes: int) -> Decimal:
    """In cents, unrounded."""
    return Decimal(container_minutes) * thirtydays_cents(size.hourly_price) / MINUTES_PER_30_DAYS


def addon_price(plan_id: str, minutes: int) -> Decimal:
    """In cents, unrounded."""
    plan = PLANS[plan_id]
    return Decimal(minutes) * per_minute(plan.cents_per_30_days) * 100


def addon_json(record: AddonRecord) -> dict[str, Any]:
    provider = PROVIDER_BY_ID[record.provider_id]
    return {
        "id": record.addon_id,
        "app_id": record.app_id,
        "resource_id": record.resource_id,
        "addon_provider": {
            "id": provider["id"],
            "name": provider["name"],
            "logo_url": provider["logo_url"],
        },
        "plan": PLANS[record.plan_id].json(with_pricings=False),
    }


def _euros(cents_value: Decimal) -> float:
    return float((cents_value / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def app_usage(
    app: App,
    runtimes: Sequence[RuntimeRecord],
    addons: Sequence[AddonRecord],
    sizes: dict[str, SizeInfo],
    lo: datetime,
    hi: datetime,
) -> dict[str, Any] | None:
    """One ``usage`` entry (contract §3.1), or None when the app used nothing in the range."""
    per_size: dict[str, int] = defaultdict(int)
    for record in runtimes:
        per_size[record.size_name] += record.containers * overlap_minutes(record.started_at, record.ended_at, lo, hi)
    runtime_entries = [
        {
            "size": sizes[name].json(),
            "price": _euros(runtime_price(sizes[name], minutes)),
            "duration": minutes,
        }
        for name, minutes in per_size.items()
        if minutes > 0
    ]
    addon_entries = []
    for addon in addons:
        minutes = overlap_minutes(addon.provisioned_at, addon.deprovisioned_at, lo, hi)
        if minutes <= 0:
            continue
        addon_entries.append(
            {
                "addon": addon_json(addon),
                "price": _euros(addon_price(addon.plan_id, minutes)),
                "runtime": minutes,
                "provisioned_at": iso(addon.provisioned_at),
                "status": "running" if addon.deprovisioned_at is None else "deprovisioned",
                "deprovisioned_at": iso(addon.deprovisioned_at),
            }
        )
    if not runtime_entries and not addon_entries:
        return None
    starts = [r.started_at for r in runtimes] + [a.provisioned_at for a in addons]
    return {
        "app": app.name,
        "app_id": app.id,
        "status": app.status,
        "first_month": month_label(min(starts)),
        "runtimes": runtime_entries,
        "addon_usages": addon_entries,
    }


def invoice_lines(
    apps: Sequence[App],
    runtimes: Sequence[RuntimeRecord],
    addons: Sequence[AddonRecord],
    sizes: dict[str, SizeInfo],
    lo: datetime,
    hi: datetime,
) -> list[dict[str, Any]]:
    """Detailed invoice items for ``[lo, hi)``: one per app, container type and size, and one
    per addon; prices in integer cents, ``duration`` in minutes."""
    names = {app.id: app.name for app in apps}
    grouped: dict[tuple[str, str, str], int] = defaultdict(int)
    for record in runtimes:
        minutes = record.containers * overlap_minutes(record.started_at, record.ended_at, lo, hi)
        if minutes:
            grouped[(record.app_id, record.container_type, record.size_name)] += minutes
    lines = [
        {
            "label": f"Containers - type: {kind}- size: {size}",
            "price": cents(runtime_price(sizes[size], minutes)),
            "app": names[app_id],
            "duration": minutes,
        }
        for (app_id, kind, size), minutes in sorted(grouped.items())
    ]
    for addon in addons:
        minutes = overlap_minutes(addon.provisioned_at, addon.deprovisioned_at, lo, hi)
        if minutes:
            plan = PLANS[addon.plan_id]
            provider = PROVIDER_BY_ID[addon.provider_id]["name"]
            lines.append(
                {
                    "label": f"Addon - {provider} - {plan.display_name}",
                    "price": cents(addon_price(addon.plan_id, minutes)),
                    "app": names[addon.app_id],
                    "duration": minutes,
                }
            )
    return lines
