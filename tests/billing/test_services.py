"""Money arithmetic, unit conversions and the report computations, without the upstream."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from billing.invoices import (
    InvoiceFilter,
    filter_invoices,
    invoice_check,
    invoices_needing_action,
    last_complete_invoice,
)
from billing.reports import month_over_month, monthly_spend, running_month_spend, spend_chart
from dashboard.listing import csv_text, paginate
from dashboard.money import Money, plain_amount, vat_on
from dashboard.upstream import billing as upstream

cents = st.integers(min_value=-10_000_000, max_value=10_000_000)


def _invoice(month: date, total: int, *, with_vat: int | None = None, items=None, detailed=(), state="paid"):
    return upstream.invoice_from(
        {
            "id": f"id-{month}",
            "invoice_number": f"{month:%Y-%m}-1",
            "billing_month": month.isoformat(),
            "state": state,
            "vat_rate": 200,
            "total_price": total,
            "total_price_with_vat": total + round(total * 0.2) if with_vat is None else with_vat,
            "items": items if items is not None else [{"id": "1", "label": "Containers Runtime", "price": total}],
            "detailed_items": list(detailed),
        }
    )


@given(st.lists(cents, max_size=30))
def test_it_adds_cents_exactly(values):
    assert sum((Money.from_cents(v) for v in values), Money.zero()).cents == sum(values)


@given(cents)
def test_it_converts_cents_and_euros_the_same_way(value):
    assert Money.from_cents(value) == Money.from_euros(Decimal(value) / 100)
    assert Money.from_euros(float(Decimal(value) / 100)).cents == value


@given(st.integers(min_value=0, max_value=10_000_000), st.sampled_from([0, 55, 100, 200, 210]))
def test_it_computes_vat_to_the_cent(net_cents, rate):
    vat = vat_on(Money.from_cents(net_cents), rate)
    assert vat == vat.rounded()
    assert abs(vat.amount - Decimal(net_cents) * rate / 100_000) <= Decimal("0.005")


@given(cents)
def test_it_writes_csv_amounts_with_two_decimals(value):
    text = plain_amount(Money.from_cents(value))
    assert Decimal(text) * 100 == value and text.split(".")[1].__len__() == 2


def test_it_prices_per_minute_rates_exactly():
    # 0.0001666667 € a minute for 30 days (43,200 minutes), kept exact until it is rounded.
    month = Money.from_euros("0.0001666667") * 43200
    assert month == Money(Decimal("7.20000144"))
    assert month.rounded() == Money(Decimal("7.20"))


def test_it_flags_items_that_do_not_add_up():
    invoice = _invoice(date(2024, 1, 1), 1000, items=[{"id": "1", "label": "x", "price": 900}])
    check = invoice_check(invoice)
    assert not check.items_match and check.vat_match and not check.consistent
    wrong_vat = invoice_check(_invoice(date(2024, 1, 1), 1000, with_vat=1300))
    assert wrong_vat.items_match and not wrong_vat.vat_match


def test_it_groups_detailed_items_by_app_with_subtotals():
    detailed = [
        {"id": "a", "label": "web", "price": 100, "app": "b-app", "duration": 60},
        {"id": "b", "label": "db", "price": 50, "app": "a-app", "duration": 60},
        {"id": "c", "label": "worker", "price": 25, "app": "b-app", "duration": 60},
    ]
    check = invoice_check(_invoice(date(2024, 1, 1), 175, detailed=detailed))
    assert [(g.app, g.subtotal.cents) for g in check.groups] == [("a-app", 50), ("b-app", 125)]


def test_it_handles_pagination_edges_in_memory():
    rows = list(range(45))
    last = paginate(rows, page=3, per_page=20)
    assert last.items == list(range(40, 45)) and last.pagination.next_page is None
    assert last.pagination.previous_page == 2
    assert paginate(rows, page=99, per_page=20).pagination.current_page == 3
    assert paginate([], page=1, per_page=20).pagination.total_pages == 1


def test_it_filters_by_state_and_month_range():
    invoices = [_invoice(date(2024, m, 1), 100, state="failed" if m == 3 else "paid") for m in range(1, 7)]
    assert [i.billing_month.month for i in filter_invoices(invoices, InvoiceFilter("failed"))] == [3]
    ranged = InvoiceFilter(month_from=date(2024, 2, 1), month_to=date(2024, 4, 1))
    assert [i.billing_month.month for i in filter_invoices(invoices, ranged)] == [2, 3, 4]


def test_it_fills_months_without_invoices_with_zero():
    invoices = [_invoice(date(2024, 1, 1), 1000), _invoice(date(2024, 3, 1), 500)]
    series = monthly_spend(invoices, months=3, at=datetime(2024, 4, 15, tzinfo=UTC))
    assert [(s.month.month, s.total.cents, s.invoiced) for s in series] == [
        (1, 1200, True),
        (2, 0, False),
        (3, 600, True),
    ]
    chart = spend_chart(series)
    assert chart.bars[0].height > chart.bars[2].height > chart.bars[1].height == 0
    assert chart.total.cents == 1800


def test_it_finds_the_biggest_movers():
    def month(m, prices):
        detailed = [{"id": a, "label": a, "price": p, "app": a} for a, p in prices.items()]
        return _invoice(date(2024, m, 1), sum(prices.values()), detailed=detailed)

    before = {"a": 1000, "b": 1000, "c": 1000, "d": 1000, "e": 1000}
    after = {"a": 1100, "b": 500, "c": 1000, "d": 3000, "f": 200}
    changes = month_over_month([month(1, before), month(2, after)])
    assert changes.month == date(2024, 2, 1) and changes.previous_month == date(2024, 1, 1)
    assert [r.app for r in changes.rows][:3] == ["d", "e", "b"]
    assert {r.app for r in changes.rows if r.biggest_mover} == {"d", "e", "b"}
    f = next(r for r in changes.rows if r.app == "f")
    assert f.ratio is None and f.change.cents == 200
    d = next(r for r in changes.rows if r.app == "d")
    assert d.percent == Decimal(200)


def test_it_neutralises_spreadsheet_formulas_in_csv():
    text = csv_text(["a", "b"], [["=HYPERLINK(1)", "-12.50"], ["-cmd", "@x"]])
    assert "'=HYPERLINK(1)" in text and ",-12.50" in text and "'-cmd" in text and "'@x" in text


# Billing calendar: the running month is in progress ----------------------------------------------

FIRST_OF_MARCH = datetime(2024, 3, 1, 1, 0, tzinfo=UTC)  # the running month is one hour old


def _apps(month: date, prices: dict[str, int], *, state: str = "paid"):
    detailed = [{"id": a, "label": a, "price": p, "app": a} for a, p in prices.items()]
    return _invoice(month, sum(prices.values()), detailed=detailed, state=state)


def test_it_compares_the_last_two_complete_months_on_the_1st():
    invoices = [
        _apps(date(2024, 3, 1), {"web": 3, "api": 2}, state="new"),  # one hour of March
        _apps(date(2024, 2, 1), {"web": 7000, "api": 4000}),
        _apps(date(2024, 1, 1), {"web": 6000, "api": 4000}),
    ]
    changes = month_over_month(invoices, at=FIRST_OF_MARCH)
    assert changes.month == date(2024, 2, 1) and changes.previous_month == date(2024, 1, 1)
    rows = {r.app: r for r in changes.rows}
    assert rows["web"].after.cents == 7000 and rows["web"].before.cents == 6000
    assert rows["api"].change.cents == 0
    assert [r.app for r in changes.rows if r.biggest_mover] == ["web"]  # not every app


def test_it_leaves_the_running_month_out_of_the_chart_and_the_average():
    invoices = [
        _invoice(date(2024, 3, 1), 10, state="new"),
        _invoice(date(2024, 2, 1), 1000),
        _invoice(date(2024, 1, 1), 3000),
    ]
    series = monthly_spend(invoices, months=12, at=FIRST_OF_MARCH)
    assert series[-1].month == date(2024, 2, 1) and series[0].month == date(2023, 3, 1)
    chart = spend_chart(series)
    assert chart.total.cents == 4800  # with VAT: 1200 + 3600
    assert chart.averaged_months == 2 and chart.average.cents == 2400
    running = running_month_spend(invoices, at=FIRST_OF_MARCH)
    assert running is not None and running.month == date(2024, 3, 1) and running.total.cents == 12


def test_it_tells_the_running_months_invoice_from_one_waiting_for_payment():
    running = _invoice(date(2024, 3, 1), 10, state="new")
    waiting = _invoice(date(2024, 2, 1), 1000, state="new")  # February's, not charged yet
    failed, new = invoices_needing_action([running, waiting], at=FIRST_OF_MARCH)
    assert failed == [] and new == [waiting]
    assert last_complete_invoice([running, waiting], at=FIRST_OF_MARCH) is waiting
    # UTC decides: 23:30 in Paris on 29 February 2024 is still February for the platform.
    late = datetime(2024, 2, 29, 22, 30, tzinfo=UTC)
    assert last_complete_invoice([running, waiting], at=late) is None


def test_it_does_not_flag_the_months_length_as_a_move():
    # November has 30 days, October 31: an app that ran the same way costs 30/31 as much.
    invoices = [
        _apps(date(2024, 11, 1), {"web": 3000, "api": 1500, "worker": 0}),
        _apps(date(2024, 10, 1), {"web": 3100, "api": 1550, "worker": 744}),
    ]
    changes = month_over_month(invoices, at=datetime(2024, 12, 1, tzinfo=UTC))
    assert changes.month == date(2024, 11, 1)
    assert round(changes.steady_percent, 2) == Decimal("-3.23")
    assert [r.app for r in changes.rows if r.biggest_mover] == ["worker"]
