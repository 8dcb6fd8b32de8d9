"""The usage of every region over a range of days, the running month's forecast, what the invoices
of the same months say, and the usage as CSV."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from dashboard import billing_calendar, readcache
from dashboard.caller import Caller
from dashboard.concurrency import Reads, Results
from dashboard.money import HOURS_PER_30_DAYS, Money, plain_amount
from dashboard.regions import PerRegion, per_region
from dashboard.regions import regions as platform_regions
from dashboard.upstream import account as upstream_account
from dashboard.upstream import billing as upstream

# Usage -----------------------------------------------------------------------------------------


# Until a week of the month has run, the month so far is a few hours or days: projecting it
# straight multiplies every one-off (an addon removed this morning, a deploy's extra container,
# the cent each usage line is rounded to) by the month's length over the time elapsed: x744 at
# 01:00 on the 1st, still x4 on the 7th, and it has not seen a weekend yet. Young months are
# projected from what runs now instead: the month so far plus the hourly rate of the running apps'
# containers and of the active addons, until the month ends. From a week on, the month so far
# holds a whole weekly cycle and the straight projection is the better estimate.
YOUNG_MONTH = timedelta(days=7)
FORECAST_RUNNING_RATE = "running_rate"
FORECAST_LINEAR = "linear"
# App statuses that bill no container (the others run, start or restart containers).
STOPPED_APP_STATUSES = frozenset({"stopped", "new"})


@dataclass(frozen=True)
class Forecast:
    """The month's usage projected to its end: an estimate, on the platform's clock (UTC)."""

    month_end: date
    elapsed_ratio: Decimal
    total: Money
    per_app: dict[str, Money]  # by app id
    method: str = FORECAST_LINEAR
    hourly_rate: Money | None = None  # what runs now, for the running-rate method


@dataclass(frozen=True)
class UsageReport:
    date_from: date
    date_to: date  # inclusive
    apps: list[tuple[str, upstream.AppUsage]]  # (region display name, app)
    failed_regions: list[str]
    forecast: Forecast | None

    @property
    def runtime_total(self) -> Money:
        return sum((a.runtime_total for _, a in self.apps), Money.zero())

    @property
    def addon_total(self) -> Money:
        return sum((a.addon_total for _, a in self.apps), Money.zero())

    @property
    def total(self) -> Money:
        return self.runtime_total + self.addon_total

    @property
    def multi_region(self) -> bool:
        return len({region for region, _ in self.apps}) > 1


def regions(*, caller: Caller) -> list[upstream_account.Region]:
    return platform_regions(auth=caller.auth)


def usage_reads(*, caller: Caller, date_from: date, date_to: date, now: datetime | None = None) -> Reads[UsageReport]:
    """Usage of every region for ``[date_from, date_to]`` (inclusive), apps sorted by name.

    Usage is per region (each regional API knows only its apps): one read per region, side by
    side in the page's one gather (``regions.per_region``). One failing region is reported, not
    fatal; all failing (or the regions) is an error, raised by ``build``."""
    auth = caller.auth
    upstream_to = date_to + timedelta(days=1)  # the upstream excludes `to`

    def fetch(region: upstream_account.Region) -> list[upstream.AppUsage]:
        return readcache.cached(
            caller,
            f"usage:{region.name}:{date_from}:{upstream_to}",
            lambda: upstream.usage_get(auth=auth, date_from=date_from, date_to=upstream_to, api_url=region.api),
        )

    reads = per_region(auth=auth, name="usage", read=fetch)

    def build(results: Results) -> UsageReport:
        return _usage_report(reads.build(results), date_from=date_from, date_to=date_to, now=now)

    return Reads(calls=reads.calls, build=build)


def _usage_report(per_region: PerRegion, *, date_from: date, date_to: date, now: datetime | None) -> UsageReport:
    apps: list[tuple[str, upstream.AppUsage]] = []
    failed: list[str] = []
    first_error: Exception | None = None
    for region, result in per_region:
        if isinstance(result, Exception):
            failed.append(region.display_name)
            first_error = first_error or result
            continue
        apps.extend((region.display_name, app) for app in result)
    if per_region and len(failed) == len(per_region) and first_error is not None:
        raise first_error
    apps.sort(key=lambda pair: (pair[1].app, pair[0]))
    report = UsageReport(date_from=date_from, date_to=date_to, apps=apps, failed_regions=failed, forecast=None)
    forecast = month_forecast(report, now=now or billing_calendar.now())
    return UsageReport(date_from=date_from, date_to=date_to, apps=apps, failed_regions=failed, forecast=forecast)


def app_hourly_rate(app: upstream.AppUsage, *, elapsed_minutes: int) -> Money:
    """What an app costs an hour now: its containers (the month's container-minutes over the
    minutes elapsed give how many of each size run) at the size's price per 30 days / 720, plus its active
    addons at their plan's price (per 30 days = 720 hours). A stopped app runs no container."""
    rate = Money.zero()
    if app.status not in STOPPED_APP_STATUSES and elapsed_minutes > 0:
        for runtime in app.runtimes:
            if runtime.duration_minutes <= 0:
                continue
            if runtime.size.thirtydays_price is not None:
                per_hour = Money(runtime.size.thirtydays_price.amount / HOURS_PER_30_DAYS)
            else:
                per_hour = Money(runtime.price.amount * 60 / runtime.duration_minutes)
            rate += Money(per_hour.amount * runtime.duration_minutes / elapsed_minutes)
    for addon in app.addon_usages:
        if not addon.active:
            continue
        if addon.plan_price is not None:
            rate += Money(addon.plan_price.amount / HOURS_PER_30_DAYS)
        elif addon.runtime_minutes > 0:
            rate += Money(addon.price.amount * 60 / addon.runtime_minutes)
    return rate


def month_forecast(report: UsageReport, *, now: datetime) -> Forecast | None:
    """Only for the running month's range (from the 1st to today, UTC days as the upstream counts
    them). Young months: so far + the hourly rate of what runs now x the hours left; later: so far
    x month length / time elapsed. Both on one clock, UTC, like the usage itself."""
    today = billing_calendar.today(now)
    running = billing_calendar.running_month(now)
    if report.date_from != running or report.date_to != today:
        return None
    month_start = billing_calendar.month_start(running)
    month_end = billing_calendar.month_start(billing_calendar.month_add(running, 1))
    elapsed = now - month_start
    elapsed_minutes = int(elapsed.total_seconds() // 60)
    if elapsed_minutes <= 0:
        return None
    ratio = Decimal(int(elapsed.total_seconds())) / Decimal(int((month_end - month_start).total_seconds()))
    last_day = billing_calendar.month_last_day(running)
    if elapsed < YOUNG_MONTH:
        hours_left = Decimal(int((month_end - now).total_seconds())) / 3600
        rates = {app.app_id: app_hourly_rate(app, elapsed_minutes=elapsed_minutes) for _, app in report.apps}
        per_app = {app.app_id: app.total + rates[app.app_id] * hours_left for _, app in report.apps}
        return Forecast(
            month_end=last_day,
            elapsed_ratio=ratio,
            total=sum(per_app.values(), Money.zero()),
            per_app=per_app,
            method=FORECAST_RUNNING_RATE,
            hourly_rate=sum(rates.values(), Money.zero()),
        )
    return Forecast(
        month_end=last_day,
        elapsed_ratio=ratio,
        total=Money(report.total.amount / ratio),
        per_app={app.app_id: Money(app.total.amount / ratio) for _, app in report.apps},
    )


@dataclass(frozen=True)
class InvoicedMonths:
    """What the invoices of the complete months a usage range covers add up to, excluding VAT."""

    first: date
    last: date
    total: Money
    count: int


def invoiced_months(
    invoices: Iterable[upstream.Invoice], *, date_from: date, date_to: date, at: datetime | None = None
) -> InvoicedMonths | None:
    """Only for a range of whole, complete billing months (1st to last day): there usage and invoices
    meet. They can differ by a few cents: the platform rounds each invoice line to the cent every
    month, while usage over the range is rounded once per app and size or addon."""
    if date_from.day != 1 or date_to != billing_calendar.month_last_day(date_to):
        return None
    if not billing_calendar.is_complete(date_to, at):
        return None
    rows = [i for i in invoices if i.billing_month is not None and date_from <= i.billing_month <= date_to]
    if not rows:
        return None
    return InvoicedMonths(
        first=date_from,
        last=date_to.replace(day=1),
        total=sum((i.total_price for i in rows), Money.zero()),
        count=len(rows),
    )


USAGE_CSV_HEADER = [
    "region",
    "app",
    "kind",
    "item",
    "minutes",
    "price_eur",
    "provisioned_at",
    "deprovisioned_at",
]


def usage_csv_rows(report: UsageReport) -> Iterator[list[str]]:
    for region, app in report.apps:
        for runtime in app.runtimes:
            yield [
                region,
                app.app,
                "container",
                runtime.size.name,
                str(runtime.duration_minutes),
                plain_amount(runtime.price),
                "",
                "",
            ]
        for addon in app.addon_usages:
            yield [
                region,
                app.app,
                "addon",
                f"{addon.provider_name} {addon.plan_name}".strip(),
                str(addon.runtime_minutes),
                plain_amount(addon.price),
                addon.provisioned_at.isoformat() if addon.provisioned_at else "",
                addon.deprovisioned_at.isoformat() if addon.deprovisioned_at else "",
            ]
    yield ["", "", "total", "", "", plain_amount(report.total), "", ""]
