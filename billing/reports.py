"""What the invoices add up to: the monthly spend and its chart's geometry, and month over month.

Team admins: the platform has no "team admin" role (upstream-api.md has none), so the reports
(CSV export, yearly ZIP of PDFs, spend chart, month-over-month movers) are open to every signed-in
account. Whoever can read the invoices through the API can read them here; nothing is hidden.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from dashboard import billing_calendar
from dashboard.money import Money, change_ratio
from dashboard.upstream import billing as upstream

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
