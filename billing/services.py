"""Where the billing pages get their data: cached per user, combined, checked and exported.

Team admins: the platform has no "team admin" role (upstream-api.md has none), so the reports
(CSV export, yearly ZIP of PDFs, spend chart, month-over-month movers) are open to every signed-in
account. Whoever can read the invoices through the API can read them here; nothing is hidden.
"""

from __future__ import annotations

import io
import logging
import tempfile
import time
import zipfile
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache

from dashboard import billing_calendar, concurrency, readcache
from dashboard.caller import Caller
from dashboard.listing import csv_text as csv_text  # the billing pages' CSV and paging, shared with activity
from dashboard.listing import paginate as paginate
from dashboard.money import HOURS_PER_30_DAYS, Money, change_ratio, plain_amount, vat_on
from dashboard.regions import regions as platform_regions
from dashboard.upstream import account as upstream_account
from dashboard.upstream import billing as upstream
from dashboard.upstream import downloads, errors
from dashboard.upstream.http import Auth
from dashboard.upstream.parse import Page

logger = logging.getLogger("dashboard.billing")

T = TypeVar("T")

# The upstream answers at most this many invoices per page (sandbox: 100; the real maximum is
# undocumented, so stay at a value every paginated Scalingo endpoint accepts).
INVOICES_PER_UPSTREAM_PAGE = 100
PER_PAGE_CHOICES = (10, 20, 50)
DEFAULT_PER_PAGE = 20


# Per-user cache -------------------------------------------------------------------------------


def _key(caller: Caller, name: str) -> str:
    return readcache.key(caller, name)


def forget(*, caller: Caller) -> None:
    """Drop what a billing profile save changes: the profile, and (a new payment method pays the
    failed invoices and lifts a suspension) the invoice list, each cached invoice and the user."""
    hit = readcache.peek(caller, "invoices")
    cached_invoices = cast("list[upstream.Invoice]", hit[0]) if hit is not None else []
    readcache.forget(caller, "profile", "invoices", "self", *(f"invoice:{invoice.id}" for invoice in cached_invoices))


# Profile ---------------------------------------------------------------------------------------


def billing_profile(*, caller: Caller) -> upstream.BillingProfile | None:
    return readcache.cached(caller, "profile", lambda: upstream.billing_profile_get(auth=caller.auth))


def billing_profile_save(
    *, caller: Caller, profile: upstream.BillingProfile | None, fields: dict[str, Any]
) -> upstream.BillingProfile:
    """Create the profile, or update the existing one, through the BILLING host."""
    try:
        if profile is None:
            saved = upstream.billing_profile_create(auth=caller.auth, fields=fields)
        else:
            saved = upstream.billing_profile_update(auth=caller.auth, profile_id=profile.id, fields=fields)
    finally:
        forget(caller=caller)
    logger.info("billing profile saved", extra={"action": "billing-profile-save", "user_id": caller.user_id})
    return saved


def card_expiry_state(profile: upstream.BillingProfile | None, today: date) -> str | None:
    """``expired``, ``expires_this_month`` or None, for the card of the profile."""
    if profile is None or profile.stripe is None or profile.stripe.card_exp is None:
        return None
    expiry = profile.stripe.card_exp
    if (expiry.year, expiry.month) < (today.year, today.month):
        return "expired"
    if (expiry.year, expiry.month) == (today.year, today.month):
        return "expires_this_month"
    return None


# Operations ------------------------------------------------------------------------------------


def operations_page(*, caller: Caller, page: int, per_page: int) -> Page[upstream.BillingOperation]:
    return readcache.cached(
        caller,
        f"operations:{page}:{per_page}",
        lambda: upstream.billing_operation_list(auth=caller.auth, page=page, per_page=per_page),
    )


# Invoices --------------------------------------------------------------------------------------


def _fetch_all_invoices(auth: Auth) -> list[upstream.Invoice]:
    first = upstream.invoice_list(auth=auth, page=1, per_page=INVOICES_PER_UPSTREAM_PAGE)
    invoices = list(first.items)
    rest = range(2, first.pagination.total_pages + 1)
    if rest:
        results = concurrency.gather(
            **{
                f"p{n}": (lambda n=n: upstream.invoice_list(auth=auth, page=n, per_page=INVOICES_PER_UPSTREAM_PAGE))
                for n in rest
            }
        )
        for n in rest:
            result = results[f"p{n}"]
            if isinstance(result, Exception):
                raise result
            invoices.extend(result.items)
    unique = OrderedDict((invoice.id, invoice) for invoice in invoices)
    return sorted(unique.values(), key=lambda i: (i.billing_month or date.min, i.invoice_number), reverse=True)


def all_invoices(*, caller: Caller) -> list[upstream.Invoice]:
    """Every invoice, newest month first. The upstream has no filters, so the dashboard filters;
    a monthly invoice makes this a few dozen rows even for old accounts."""
    return readcache.cached(caller, "invoices", lambda: _fetch_all_invoices(caller.auth))


def all_invoices_future(*, caller: Caller) -> concurrency.Task[list[upstream.Invoice]]:
    """One fetch per request, shared by the account banner and the page."""
    return caller.shared("invoices", lambda: all_invoices(caller=caller))


def invoice(*, caller: Caller, invoice_id: str) -> upstream.Invoice:
    return readcache.cached(
        caller, f"invoice:{invoice_id}", lambda: upstream.invoice_get(auth=caller.auth, invoice_id=invoice_id)
    )


def invoices_needing_action(
    invoices: Iterable[upstream.Invoice], *, at: datetime | None = None
) -> tuple[list[upstream.Invoice], list[upstream.Invoice]]:
    """(failed, new): failed ones must be paid now; new ones of complete months will be charged
    automatically. The running month's invoice is new too, but in progress: it waits for nothing."""
    items = list(invoices)
    failed = [i for i in items if i.state == "failed"]
    return failed, [i for i in items if i.state == "new" and not billing_calendar.in_progress(i, at)]


def last_complete_invoice(
    invoices: Iterable[upstream.Invoice], *, at: datetime | None = None
) -> upstream.Invoice | None:
    """The newest invoice of a complete month (the list is newest first)."""
    return next((i for i in invoices if not billing_calendar.in_progress(i, at)), None)


@dataclass(frozen=True)
class InvoiceFilter:
    state: str = ""
    month_from: date | None = None
    month_to: date | None = None

    @property
    def active(self) -> bool:
        return bool(self.state or self.month_from or self.month_to)

    def matches(self, invoice: upstream.Invoice) -> bool:
        if self.state and invoice.state != self.state:
            return False
        month = invoice.billing_month
        if self.month_from and (month is None or month < self.month_from):
            return False
        return not (self.month_to and (month is None or month > self.month_to))


def filter_invoices(invoices: Iterable[upstream.Invoice], criteria: InvoiceFilter) -> list[upstream.Invoice]:
    return [invoice for invoice in invoices if criteria.matches(invoice)]


@dataclass(frozen=True)
class AppGroup:
    app: str
    items: tuple[upstream.DetailedItem, ...]
    subtotal: Money


@dataclass(frozen=True)
class InvoiceCheck:
    """What the invoice says against what its lines add up to."""

    items_total: Money
    expected_vat: Money
    groups: tuple[AppGroup, ...]
    detailed_total: Money

    items_match: bool
    vat_match: bool

    @property
    def consistent(self) -> bool:
        return self.items_match and self.vat_match


def invoice_check(invoice: upstream.Invoice) -> InvoiceCheck:
    items_total = sum((item.price for item in invoice.items), Money.zero())
    expected_vat = vat_on(invoice.total_price, invoice.vat_rate)
    grouped: dict[str, list[upstream.DetailedItem]] = OrderedDict()
    for item in invoice.detailed_items:
        grouped.setdefault(item.app, []).append(item)
    groups = tuple(
        AppGroup(app=app, items=tuple(rows), subtotal=sum((r.price for r in rows), Money.zero()))
        for app, rows in sorted(grouped.items())
    )
    # A one-cent tolerance on VAT: the upstream rounds it once, on the total.
    vat_gap = abs((invoice.total_price + expected_vat - invoice.total_price_with_vat).amount)
    return InvoiceCheck(
        items_total=items_total,
        expected_vat=expected_vat,
        groups=groups,
        detailed_total=sum((g.subtotal for g in groups), Money.zero()),
        items_match=items_total.rounded() == invoice.total_price.rounded(),
        vat_match=vat_gap <= Decimal("0.01"),
    )


def invoice_filename(invoice: upstream.Invoice) -> str:
    safe = "".join(c for c in invoice.invoice_number if c.isalnum() or c in "-_.") or invoice.id
    return f"invoice-{safe}.pdf"


def _download_key(caller: Caller, invoice_id: str) -> str:
    return _key(caller, f"download:{invoice_id}")


def invoice_pdf_location(*, caller: Caller, invoice_id: str) -> str:
    """Resolve the download endpoint's 302; kept a minute so the browser's follow-up GET (after an
    htmx click) streams without asking again."""
    key = _download_key(caller, invoice_id)
    location: str | None = cache.get(key)
    if location is None:
        location = upstream.invoice_download_url(auth=caller.auth, invoice_id=invoice_id)
        cache.set(key, location, 60)
    return location


def forget_pdf_location(*, caller: Caller, invoice_id: str) -> None:
    cache.delete(_download_key(caller, invoice_id))


def invoice_pdf_target(*, caller: Caller, invoice_id: str) -> str:
    """The PDF's location, refused (``downloads.DownloadRefused``) before anything is fetched from
    it when it points at a host the dashboard may not contact."""
    location = invoice_pdf_location(caller=caller, invoice_id=invoice_id)
    downloads.download_target(location)
    return location


def downloads_busy() -> bool:
    """Every download slot is taken: a new download would have to wait."""
    return downloads.downloads_running() >= settings.DOWNLOAD_CONCURRENCY


def download_slot() -> downloads.DownloadSlot | None:
    """A slot for one download (or one archive), or None when all are taken."""
    return downloads.download_slot()


def invoice_pdf_open(*, caller: Caller, invoice_id: str, location: str) -> downloads.FileDownload:
    """Start fetching the PDF from ``location``; the cached location is used up either way."""
    forget_pdf_location(caller=caller, invoice_id=invoice_id)
    return downloads.file_open(url=location)


# CSV -------------------------------------------------------------------------------------------


INVOICE_CSV_HEADER = [
    "invoice_number",
    "billing_month",
    "state",
    "total_excl_vat_eur",
    "vat_rate_percent",
    "vat_eur",
    "total_incl_vat_eur",
    "invoice_id",
]


def invoice_csv_rows(invoices: Iterable[upstream.Invoice]) -> Iterator[list[str]]:
    for invoice in invoices:
        yield [
            invoice.invoice_number,
            invoice.billing_month.strftime("%Y-%m") if invoice.billing_month else "",
            invoice.state,
            plain_amount(invoice.total_price),
            str(Decimal(invoice.vat_rate) / 10),
            plain_amount(invoice.vat),
            plain_amount(invoice.total_price_with_vat),
            invoice.id,
        ]


# ZIP of a year's PDFs --------------------------------------------------------------------------


class _Sink(io.RawIOBase):
    """Where zipfile writes: it only keeps what was written since the last ``take``."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._chunks.append(chunk)
        return len(chunk)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def progress_key(caller: Caller, job: str) -> str:
    return _key(caller, f"archive:{job}")


def archive_progress(*, caller: Caller, job: str) -> dict[str, int] | None:
    progress: dict[str, int] | None = cache.get(progress_key(caller, job))
    return progress


ARCHIVE_DEADLINE_FACTOR = 4  # an archive may take as long as four single downloads


def invoice_archive(*, caller: Caller, invoices: list[upstream.Invoice], job: str | None = None) -> Iterator[bytes]:
    """A ZIP of the invoices' PDFs, produced as it goes: one PDF is held at a time (spooled to disk
    past 1 MiB), never the archive. A PDF that cannot be fetched is listed in ``MISSING.txt``
    inside the archive instead, since the response status is already sent by then."""
    auth = caller.auth
    key = progress_key(caller, job) if job else None
    total = len(invoices)
    missing: list[str] = []

    def report(done: int, finished: bool = False) -> None:
        if key:
            cache.set(key, {"done": done, "total": total, "failed": len(missing), "finished": int(finished)}, 600)

    sink = _Sink()
    report(0)
    # The whole archive has a deadline too, so a slow file host holds a download slot for a
    # bounded time: past it, the remaining PDFs are listed as missing without being asked for.
    until = time.monotonic() + settings.DOWNLOAD_DEADLINE_SECONDS * ARCHIVE_DEADLINE_FACTOR
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for done, invoice_row in enumerate(invoices, start=1):
            name = invoice_filename(invoice_row)
            if time.monotonic() >= until:
                missing.append(name)
                report(done)
                continue
            try:
                with tempfile.SpooledTemporaryFile(max_size=1024 * 1024) as spool:
                    location = upstream.invoice_download_url(auth=auth, invoice_id=invoice_row.id)
                    with downloads.file_open(url=location, until=until) as download:
                        for chunk in download:
                            spool.write(chunk)
                    spool.seek(0)
                    with archive.open(name, mode="w") as entry:
                        while block := spool.read(64 * 1024):
                            entry.write(block)
                            if data := sink.take():
                                yield data
            except (errors.UpstreamError, errors.Unauthorized, OSError) as exc:
                logger.warning("invoice PDF left out of the archive", extra={"error": type(exc).__name__})
                missing.append(name)
            report(done)
            if data := sink.take():
                yield data
        if missing:
            archive.writestr(
                "MISSING.txt",
                "These invoices could not be downloaded from the platform; download them one by one:\n"
                + "\n".join(missing)
                + "\n",
            )
    report(total, finished=True)
    yield sink.take()


# Spend chart and month-over-month --------------------------------------------------------------


month_add = billing_calendar.month_add


@dataclass(frozen=True)
class MonthSpend:
    month: date
    total: Money  # with VAT, what the account paid
    invoiced: bool


def _spend_by_month(invoices: Iterable[upstream.Invoice]) -> dict[date, Money]:
    by_month: dict[date, Money] = {}
    for row in invoices:
        if row.billing_month is not None:
            month = row.billing_month.replace(day=1)
            by_month[month] = by_month.get(month, Money.zero()) + row.total_price_with_vat
    return by_month


def monthly_spend(invoices: Iterable[upstream.Invoice], *, months: int, at: datetime | None = None) -> list[MonthSpend]:
    """The last ``months`` complete billing months, oldest first (the running month is in progress,
    see ``running_month_spend``); a month without an invoice shows as zero and is marked, so the
    chart never invents a value."""
    by_month = _spend_by_month(invoices)
    last = billing_calendar.last_complete_month(at)
    first = month_add(last, -(months - 1))
    return [
        MonthSpend(month=m, total=by_month.get(m, Money.zero()), invoiced=m in by_month)
        for m in (month_add(first, i) for i in range(months))
    ]


def running_month_spend(invoices: Iterable[upstream.Invoice], *, at: datetime | None = None) -> MonthSpend | None:
    """The running month's invoice so far (in progress), or None when the platform has none yet."""
    running = billing_calendar.running_month(at)
    by_month = _spend_by_month(i for i in invoices if billing_calendar.in_progress(i, at))
    if running not in by_month:
        return None
    return MonthSpend(month=running, total=by_month[running], invoiced=True)


@dataclass(frozen=True)
class Bar:
    x: Decimal  # horizontal positions in % of the chart's width, vertical ones in px
    y: Decimal
    width: Decimal
    height: Decimal
    spend: MonthSpend
    label_x: Decimal
    show_label: bool
    show_label_narrow: bool


@dataclass(frozen=True)
class Tick:
    y: Decimal
    value: Money


@dataclass(frozen=True)
class SpendChart:
    height: int
    plot_bottom: int
    bars: list[Bar]
    ticks: list[Tick]
    total: Money
    average: Money
    averaged_months: int  # complete months since the first invoice in the period

    @property
    def has_invoices(self) -> bool:
        return any(bar.spend.invoiced for bar in self.bars)


def _nice_ceiling(value: Decimal) -> Decimal:
    if value <= 0:
        return Decimal(1)
    exponent = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        candidate = Decimal(str(step)) * exponent
        if candidate >= value:
            return candidate
    return 10 * exponent


def spend_chart(series: list[MonthSpend]) -> SpendChart:
    """Geometry of a bar chart, computed here so the template only draws rectangles.

    Across, positions are percentages of the chart's width and the SVG has no viewBox, so the
    labels keep their real size on a phone instead of shrinking with the drawing; a narrow screen
    shows fewer month labels (``show_label_narrow``). The amount ticks sit on their grid lines.
    """
    height, top, bottom = 260, 24, 228
    plot_h = Decimal(bottom - top)
    peak = max((s.total.amount for s in series), default=Decimal(0))
    ceiling = _nice_ceiling(peak)
    slot = Decimal(100) / max(len(series), 1)
    every = 1 if len(series) <= 12 else (2 if len(series) <= 24 else 3)
    every_narrow = max(1, -(-len(series) // 4))
    bars = []
    for index, spend in enumerate(series):
        amount = max(spend.total.amount, Decimal(0))
        bar_h = (amount / ceiling * plot_h).quantize(Decimal("0.1"))
        x = (slot * index + slot * Decimal("0.15")).quantize(Decimal("0.01"))
        bars.append(
            Bar(
                x=x,
                y=(bottom - bar_h),
                width=(slot * Decimal("0.7")).quantize(Decimal("0.01")),
                height=bar_h,
                spend=spend,
                label_x=(slot * index + slot / 2).quantize(Decimal("0.01")),
                show_label=index % every == (len(series) - 1) % every,
                show_label_narrow=index % every_narrow == (len(series) - 1) % every_narrow,
            )
        )
    ticks = [Tick(y=(bottom - plot_h * i / 4).quantize(Decimal("0.1")), value=Money(ceiling * i / 4)) for i in range(5)]
    total = sum((s.total for s in series), Money.zero())
    # Months before the first invoice are not months of spending: they would drag the average down.
    first = next((i for i, s in enumerate(series) if s.invoiced), len(series))
    averaged = len(series) - first
    return SpendChart(
        height=height,
        plot_bottom=bottom,
        bars=bars,
        ticks=ticks,
        total=total,
        average=Money(total.amount / max(averaged, 1)),
        averaged_months=averaged,
    )


@dataclass(frozen=True)
class AppChange:
    app: str
    before: Money
    after: Money
    ratio: Decimal | None
    biggest_mover: bool = False

    @property
    def change(self) -> Money:
        return self.after - self.before

    @property
    def percent(self) -> Decimal | None:
        return None if self.ratio is None else self.ratio * 100


@dataclass(frozen=True)
class MonthOverMonth:
    month: date
    previous_month: date
    rows: list[AppChange] = field(default_factory=list)

    @property
    def steady_ratio(self) -> Decimal:
        """The change of an app that ran the same way both months: the months' lengths differ."""
        days = billing_calendar.month_last_day(self.month).day
        previous_days = billing_calendar.month_last_day(self.previous_month).day
        return Decimal(days) / Decimal(previous_days) - 1

    @property
    def steady_percent(self) -> Decimal:
        return self.steady_ratio * 100


BIGGEST_MOVERS = 3
# A change within this of the months' length difference is no move: the app ran the same way.
STEADY_TOLERANCE = Decimal("0.01")


def month_over_month(
    invoices: Iterable[upstream.Invoice], *, month: date | None = None, at: datetime | None = None
) -> MonthOverMonth | None:
    """Per-app spend (excluding VAT, from the detailed items) of a month against the month before.

    Defaults to the latest complete invoiced month: the running month is in progress (on the 1st
    it holds a few hours), so it is never compared with a full month. The rows are sorted by the
    size of the change; of the ``BIGGEST_MOVERS`` largest, those the months' lengths do not explain
    (31 days against 30 is -3.2 % for an app that ran the same way) are flagged."""
    per_month: dict[date, dict[str, Money]] = {}
    for row in invoices:
        if row.billing_month is None or billing_calendar.in_progress(row, at):
            continue
        apps = per_month.setdefault(row.billing_month.replace(day=1), {})
        for item in row.detailed_items:
            apps[item.app] = apps.get(item.app, Money.zero()) + item.price
    if not per_month:
        return None
    current = month or max(per_month)
    previous = month_add(current, -1)
    after, before = per_month.get(current, {}), per_month.get(previous, {})
    rows = [
        AppChange(app=app, before=before.get(app, Money.zero()), after=after.get(app, Money.zero()), ratio=None)
        for app in sorted(set(after) | set(before))
    ]
    rows = [AppChange(app=r.app, before=r.before, after=r.after, ratio=change_ratio(r.before, r.after)) for r in rows]
    rows.sort(key=lambda r: (-abs(r.change.amount), r.app))
    steady = MonthOverMonth(month=current, previous_month=previous).steady_ratio
    movers = {
        r.app
        for r in rows[:BIGGEST_MOVERS]
        if not r.change.rounded().is_zero() and (r.ratio is None or abs(r.ratio - steady) > STEADY_TOLERANCE)
    }
    return MonthOverMonth(
        month=current,
        previous_month=previous,
        rows=[
            AppChange(app=r.app, before=r.before, after=r.after, ratio=r.ratio, biggest_mover=r.app in movers)
            for r in rows
        ],
    )


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


def usage_report(*, caller: Caller, date_from: date, date_to: date, now: datetime | None = None) -> UsageReport:
    """Usage of every region for ``[date_from, date_to]`` (inclusive), apps sorted by name.

    Usage is per region (each regional API knows only its apps), so every region is asked at once.
    One failing region is reported, not fatal; all failing is an error."""
    auth = caller.auth
    region_list = regions(caller=caller)
    upstream_to = date_to + timedelta(days=1)  # the upstream excludes `to`

    def fetch(region: upstream_account.Region) -> list[upstream.AppUsage]:
        return readcache.cached(
            caller,
            f"usage:{region.name}:{date_from}:{upstream_to}",
            lambda: upstream.usage_get(auth=auth, date_from=date_from, date_to=upstream_to, api_url=region.api),
        )

    results = concurrency.gather(**{f"r{i}": (lambda r=r: fetch(r)) for i, r in enumerate(region_list)})
    apps: list[tuple[str, upstream.AppUsage]] = []
    failed: list[str] = []
    first_error: Exception | None = None
    for i, region in enumerate(region_list):
        result = results[f"r{i}"]
        if isinstance(result, Exception):
            failed.append(region.display_name)
            first_error = first_error or result
            continue
        apps.extend((region.display_name, app) for app in result)
    if region_list and len(failed) == len(region_list) and first_error is not None:
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
