"""Static catalog: addon categories, providers with plans, and the standard container sizes.

Prices: plans are defined by their 30-day price in cents; ``pricings`` is derived per minute
(30 d = 43200 min) as a decimal string, and the deprecated ``price`` as float euros.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sandbox.ids import stable_object_id

MINUTES_PER_30_DAYS = 43200
_PRICE_PLACES = Decimal("0.0000000001")


# The documented size table (upstream-api.md §4.3) pairs 10 ¢/h with 720 ¢ per 30 days for S, and
# so on for every size: its deprecated ``hourly_price`` is a tenth of the rate its
# ``thirtydays_price`` and ``pricings`` give. The sandbox serves both fields exactly as documented
# and prices usage from ``thirtydays_price`` (S = 7.20 € for 43 200 minutes, as the invoice example
# bills it), so the catalogue, usage and invoices agree.
THIRTYDAYS_PER_HOURLY = 72


def thirtydays_cents(hourly_price: int) -> int:
    return hourly_price * THIRTYDAYS_PER_HOURLY


def per_minute(cents_per_30_days: int) -> Decimal:
    return (Decimal(cents_per_30_days) / 100 / MINUTES_PER_30_DAYS).quantize(_PRICE_PLACES, rounding=ROUND_HALF_UP)


def pricings(price_per_minute: Decimal) -> dict[str, Any]:
    text = "0.0" if price_per_minute == 0 else format(price_per_minute, "f")
    return {"default": {"price": text, "currency": "EUR", "period": "minute"}}


CATEGORIES = [
    {
        "id": "5c9ba51326e28200e79ad3b2",
        "name": "Databases",
        "description": "Managed **databases**, backed up every day.",
        "position": 1,
    },
    {
        "id": stable_object_id("category", "monitoring"),
        "name": "Monitoring & Logs",
        "description": "Watch your apps: *metrics*, logs and alerts.",
        "position": 2,
    },
    {
        "id": stable_object_id("category", "email"),
        "name": "Email",
        "description": "Send transactional email.",
        "position": 3,
    },
]
_CATEGORY = {category["name"]: category for category in CATEGORIES}


@dataclass(frozen=True)
class Plan:
    id: str
    name: str
    display_name: str
    cents_per_30_days: int
    position: int
    sku: str
    description: str
    on_demand: bool = False
    disabled: bool = False
    disabled_alternative_plan_id: str | None = None
    hds_available: bool = False

    def json(self, *, with_pricings: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "display_name": self.display_name,
            "price": float(Decimal(self.cents_per_30_days) / 100),
            "description": self.description,
            "position": self.position,
            "on_demand": self.on_demand,
            "disabled": self.disabled,
            "disabled_alternative_plan_id": self.disabled_alternative_plan_id,
            "sku": self.sku,
        }
        if with_pricings:
            data["pricings"] = pricings(per_minute(self.cents_per_30_days))
            data["hds_available"] = self.hds_available
            data["to_be_discontinued"] = self.disabled
            data["trial_available"] = self.cents_per_30_days == 0
        return data


def _plan(provider: str, slug: str, display: str, cents: int, position: int, **extra: Any) -> Plan:
    return Plan(
        id=extra.pop("id", None) or stable_object_id("plan", provider, slug),
        name=f"{provider}-{slug}",
        display_name=display,
        cents_per_30_days=cents,
        position=position,
        sku=f"osc-fr1-{provider}-{slug}",
        **extra,
    )


_PG_1G = stable_object_id("plan", "postgresql", "starter-1024")

PROVIDERS: list[dict[str, Any]] = [
    {
        "id": "postgresql",
        "name": "PostgreSQL",
        "logo_url": "//cdn.scalingo.com/addons/Scalingo_Postgresql.svg",
        "short_description": "Your PostgreSQL server in a dedicated process sealed in a "
        "container. Scale up and down in a few seconds.",
        "description": '<p>Create <strong>PostgreSQL</strong> databases on-demand. See the <a href="https://doc.scalingo.com/databases/postgresql">documentation</a>.</p>',
        "provider_name": "Scalingo",
        "provider_url": "https://scalingo.com/databases/postgresql",
        "category": _CATEGORY["Databases"],
        "hds_available": True,
        "plans": [
            _plan(
                "postgresql",
                "sandbox",
                "Sandbox",
                0,
                10,
                id="5cc45d3e3e6b3b001249e5a5",
                description="<p>Free, on shared resources: 128 MB of RAM, 256 MB of disk and 10 connections. "
                "For trying things out; <strong>no backups</strong>.</p>",
            ),
            _plan(
                "postgresql",
                "starter-512",
                "Starter 512M",
                720,
                11,
                id="5cc45d223e6b3b001249e5a3",
                description="<p>512 MB of RAM, 10 GB of disk, 60 connections. Daily backups kept 7 days.</p>",
            ),
            _plan(
                "postgresql",
                "starter-1024",
                "Starter 1G",
                1440,
                12,
                id=_PG_1G,
                description="<p>1 GB of RAM, 20 GB of disk, 120 connections. Daily backups kept 7 days.</p>",
            ),
            _plan(
                "postgresql",
                "business-1024",
                "Business 1G",
                7200,
                20,
                description="<p>1 GB of RAM, 20 GB of disk, <strong>two nodes</strong> with automatic failover "
                "and point-in-time recovery over 7 days.</p>",
                hds_available=True,
            ),
            _plan(
                "postgresql",
                "legacy-256",
                "Legacy 256M",
                360,
                30,
                disabled=True,
                disabled_alternative_plan_id=_PG_1G,
                description="<p>256 MB of RAM, 5 GB of disk. No longer offered: move to Starter 1G.</p>",
            ),
        ],
    },
    {
        "id": "mysql",
        "name": "MySQL",
        "logo_url": "//cdn.scalingo.com/addons/Scalingo_MySQL_20171006.svg",
        "short_description": "Your MySQL server in a dedicated process.",
        "description": "<p>Scalingo <strong>MySQL</strong> addon.</p>",
        "provider_name": "Scalingo",
        "provider_url": "https://scalingo.com/databases/mysql",
        "category": _CATEGORY["Databases"],
        "hds_available": True,
        "plans": [
            _plan(
                "mysql",
                "sandbox",
                "Sandbox",
                0,
                0,
                description="<p>Free MySQL on shared resources: 128 MB of RAM, 256 MB of disk. "
                "For development; no backups.</p>",
            ),
            _plan(
                "mysql",
                "starter-512",
                "Starter 512M",
                720,
                1,
                description="<p>512 MB of RAM, 10 GB of disk, 75 connections. Daily backups and binary logs "
                "kept 7 days.</p>",
            ),
        ],
    },
    {
        "id": "redis",
        "name": "Redis",
        "logo_url": "//cdn.scalingo.com/addons/Scalingo_Redis.svg",
        "short_description": "In-memory data store, for caches and queues.",
        "description": "<p>Redis® with <em>persistence</em> options.</p>",
        "provider_name": "Scalingo",
        "provider_url": "https://scalingo.com/databases/redis",
        "category": _CATEGORY["Databases"],
        "hds_available": False,
        "plans": [
            _plan(
                "redis",
                "sandbox",
                "Sandbox",
                0,
                0,
                description="<p>Free Redis® with 32 MB of memory, not persisted. For caches in development.</p>",
            ),
            _plan(
                "redis",
                "starter-256",
                "Starter 256M",
                720,
                1,
                description="<p>256 MB of memory, saved to disk every minute (RDB and AOF).</p>",
            ),
            _plan(
                "redis",
                "dedicated-4g",
                "Dedicated 4G",
                28800,
                5,
                on_demand=True,
                description="<p>4 GB of memory on a <strong>dedicated</strong> instance with a replica. "
                "Set up on request by the support team.</p>",
            ),
        ],
    },
    {
        "id": "logtrail",
        "name": "Logtrail",
        "logo_url": "//cdn.scalingo.com/addons/logtrail.png",
        "short_description": "Hosted log search (a third-party partner).",
        # A partner-written description: the dashboard must sanitize it before display.
        "description": '<p>Search your logs <strong>fast</strong>.</p><script>alert("xss")</script>'
        '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">Pricing</a>',
        "provider_name": "Logtrail Inc.",
        "provider_url": "https://logtrail.example.com",
        "category": _CATEGORY["Monitoring & Logs"],
        "hds_available": False,
        "plans": [
            _plan(
                "logtrail",
                "free",
                "Free",
                0,
                0,
                description="<p>Search the last 2 days of logs, up to 100 MB a month.</p>",
            ),
            _plan(
                "logtrail",
                "pro",
                "Pro",
                2500,
                1,
                description="<p>30 days of search, 5 GB a month, saved searches and e-mail alerts.</p>",
            ),
        ],
    },
    {
        "id": "mailpost",
        "name": "Mailpost",
        "logo_url": "//cdn.scalingo.com/addons/mailpost.svg",
        "short_description": "Transactional email API.",
        "description": '<p>Send email with <a href="https://mailpost.example.com/docs">one call</a>.</p>',
        "provider_name": "Mailpost",
        "provider_url": "https://mailpost.example.com",
        "category": _CATEGORY["Email"],
        "hds_available": False,
        "plans": [
            _plan(
                "mailpost",
                "starter",
                "Starter",
                900,
                0,
                description="<p>Up to 10,000 e-mails a month, with delivery and bounce reports.</p>",
            )
        ],
    },
]

PLANS: dict[str, Plan] = {plan.id: plan for p in PROVIDERS for plan in p["plans"]}
PROVIDER_BY_ID: dict[str, dict[str, Any]] = {p["id"]: p for p in PROVIDERS}


def plan_by_name(name: str) -> Plan:
    return next(plan for plan in PLANS.values() if plan.name == name)


def provider_json(provider: dict[str, Any], host: str | None = None) -> dict[str, Any]:
    """``host``: serve the logo from this sandbox (still protocol-relative, like the real CDN URL),
    since the machines running the sandbox reach no CDN."""
    data = {**provider, "plans": [plan.json() for plan in provider["plans"]]}
    if host:
        data["logo_url"] = f"//{host}/sandbox/files/logos/{provider['id']}.svg"
    return data


LOGO_COLOURS = ["#1d4ed8", "#047857", "#b91c1c", "#7c3aed", "#b45309", "#0e7490"]


def logo_svg(provider_id: str) -> str | None:
    """A small square logo with the provider's initials."""
    provider = PROVIDER_BY_ID.get(provider_id)
    if provider is None:
        return None
    initials = "".join(word[0] for word in provider["name"].replace("-", " ").split()[:2]).upper() or "?"
    colour = LOGO_COLOURS[sum(map(ord, provider_id)) % len(LOGO_COLOURS)]
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">'
        f'<rect width="64" height="64" rx="14" fill="{colour}"/>'
        '<text x="32" y="41" font-family="Arial, sans-serif" font-size="24" font-weight="700" '
        f'fill="#fff" text-anchor="middle">{initials}</text></svg>'
    )


@dataclass(frozen=True)
class Size:
    id: str
    name: str
    ordinal: int
    memory: int
    human_cpu: str
    hourly_price: int  # cents
    pids_limit: int
    human_name: str = ""
    swap: int = 0

    def json(self, region: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "human_name": self.human_name or self.name,
            "ordinal": self.ordinal,
            "hourly_price": self.hourly_price,
            "thirtydays_price": thirtydays_cents(self.hourly_price),
            "memory": self.memory,
            "swap": self.swap,
            "human_cpu": self.human_cpu,
            "pids_limit": self.pids_limit,
            "sku": f"{region}-app-{self.name}",
            "pricings": pricings(per_minute(thirtydays_cents(self.hourly_price))),
        }


_MB = 1024 * 1024
SIZES = [
    Size("01710ca1-5d40-45be-a038-7d029e05cb23", "S", 2, 256 * _MB, "low CPU priority", 10, 256),
    Size("32629c23-4f69-42b8-b603-79849d1c2471", "M", 3, 512 * _MB, "standard CPU priority", 20, 512),
    Size("c623c087-69c3-4104-8a40-6b5cd3d41cae", "L", 4, 1024 * _MB, "standard CPU priority", 40, 1024),
    Size("f6a6a2cb-aeba-433e-958d-3d3a74e6b065", "XL", 5, 2048 * _MB, "high CPU priority", 80, 2048),
    Size("30b895f6-4320-4299-ac10-61e42180f9f3", "2XL", 6, 4096 * _MB, "high CPU priority", 160, 4096),
]
SIZE_BY_NAME = {size.name: size for size in SIZES}
