"""Reports, overview and usage with a frozen clock: the 1st, the 15th, the last day of a month and
29 February. The running month is in progress; forecasts use the platform's clock (UTC)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

FIRST = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # 07:00 in Paris: six hours of December
MID = datetime(2026, 12, 15, 12, 0, tzinfo=UTC)
LAST = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # already 1 January 2027 in Paris
LEAP = datetime(2028, 2, 29, 12, 0, tzinfo=UTC)

# The team admin's demo apps, running now, per 30 days: acme-web 2 x L (28.80 €) + 1 x M worker
# (14.40 €), acme-api M (14.40 €), acme-shop 3XL (230.40 €), acme-hds-portal L (28.80 €) =
# 345.60 € / 720 h = 0.48 €/h of containers; addons PostgreSQL Business 1G 72 €, Redis and MySQL
# Starter 7.20 € each, PostgreSQL Starter 1G 14.40 € = 100.80 € / 720 h = 0.14 €/h.
# 0.62 €/h over December's 744 hours:
DECEMBER_FORECAST = "€461.28"


def _forecast(body: str) -> str:
    match = re.search(r"≈ (€[\d,]+\.\d\d)", body)
    assert match, "no forecast on the page"
    return match.group(1)


def test_it_forecasts_the_1st_from_what_runs_now_on_the_utc_clock(seeded_at, signed_in_as):
    seeded_at(FIRST)
    client = signed_in_as("teamadmin")
    body = client.get("/usage/").content.decode()
    assert _forecast(body) == DECEMBER_FORECAST
    assert "€0.62 an hour" in body
    assert "projected linearly" not in body
    overview = client.get("/").content.decode()
    assert f"Estimated for the whole month: ≈ {DECEMBER_FORECAST}" in overview


def test_it_forecasts_linearly_once_the_month_is_a_week_old(seeded_at, signed_in_as):
    seeded_at(MID)
    body = signed_in_as("teamadmin").get("/usage/").content.decode()
    assert _forecast(body) == DECEMBER_FORECAST  # nothing changed this month: both methods agree
    assert "projected linearly" in body and "an hour:" not in body


@pytest.mark.parametrize("moment", [FIRST, MID, LAST, LEAP], ids=["1st", "15th", "last-day", "29-february"])
def test_the_reports_compare_the_last_two_complete_months(seeded_at, signed_in_as, moment):
    seeded_at(moment)
    body = signed_in_as("teamadmin").get("/invoices/reports/").content.decode()
    running = f"{moment:%B %Y}"
    previous = datetime(moment.year - (moment.month == 1), (moment.month - 2) % 12 + 1, 1)
    before = datetime(previous.year - (previous.month == 1), (previous.month - 2) % 12 + 1, 1)
    changes = body[body.index('id="changes-heading"') : body.index('id="exports-heading"')]
    assert f"{previous:%B %Y} compared with {before:%B %Y}" in changes
    assert running not in changes
    # Both months are whole: the apps that ran throughout change by the months' lengths only
    # (at most 3 days in 31, under 10 %), never the "-99 %" of a few hours against a month.
    percents = [float(p) for p in re.findall(r'<td class="num[^"]*"[^>]*>([+-]?\d+(?:\.\d)?)%</td>', changes)]
    assert len(percents) >= 4, changes
    assert sorted(percents)[0] == -100 and all(abs(p) < 10 for p in sorted(percents)[1:]), percents
    # The worker stopped at the start of the last complete month: the one real mover.
    assert re.search(r"acme-hds-worker <span[^>]*>Biggest mover", changes)
    assert changes.count("Biggest mover</span>") == 1
    spend = body[body.index('id="spend"') : body.index('id="changes-heading"')]
    assert f"{running} is in progress" in spend
    assert "over 12 complete months" in spend
    assert spend.count('class="chart-bar') == 12
    table = spend[spend.index("<table") : spend.index("</table>")]
    assert running not in table and f"{previous:%B %Y}" in table


@pytest.mark.parametrize("moment", [FIRST, MID, LAST, LEAP], ids=["1st", "15th", "last-day", "29-february"])
def test_the_overview_shows_the_running_months_invoice_in_progress(seeded_at, signed_in_as, moment):
    from sandbox.models import Invoice

    seeded_at(moment)
    body = signed_in_as("teamadmin").get("/").content.decode()
    running = Invoice.objects.get(user__username="demo-teamadmin", billing_month=moment.date().replace(day=1))
    previous = datetime(moment.year - (moment.month == 1), (moment.month - 2) % 12 + 1, 1)
    last = Invoice.objects.get(user__username="demo-teamadmin", billing_month=previous.date())
    card = body[body.index('id="overview-invoice"') : body.index('id="overview-credit"')]
    assert f"Invoice {last.invoice_number}" in card and f"{previous:%B %Y}" in card
    assert f"Invoice {running.invoice_number}" not in card
    assert f"{moment:%B %Y}: in progress" in card
    invoices = signed_in_as("teamadmin").get("/invoices/").content.decode()
    assert "In progress" in invoices
    # The running month's invoice waits for nothing: no "waiting for payment" for it.
    waiting = "waiting for payment" in invoices
    assert waiting == (moment == FIRST)  # only November's, not issued before 13:02 on the 1st


@pytest.mark.parametrize("moment", [FIRST, MID, LAST, LEAP], ids=["1st", "15th", "last-day", "29-february"])
def test_usage_this_month_is_the_running_utc_month(seeded_at, signed_in_as, moment):
    seeded_at(moment)
    body = signed_in_as("teamadmin").get("/usage/").content.decode()
    month = {12: "December", 2: "February"}[moment.month]  # the English DATE_FORMAT, day first
    assert f"From 1 {month} {moment.year} to {moment.day} {month} {moment.year}</h2>" in body
    assert "acme-web" in body and "≈ €" in body


def test_it_sets_the_invoices_beside_the_usage_of_whole_months_and_explains_the_cents(seeded_at, signed_in_as):
    seeded_at(FIRST)
    client = signed_in_as("teamadmin")
    body = client.get("/usage/?preset=custom&from=2026-01-01&to=2026-11-30").content.decode()
    note = body[body.index('id="usage-invoiced"') : body.index("</p>", body.index('id="usage-invoiced"'))]
    # Usage, rounded once per app and size or addon over the 11 months: 4,349.79 €. The invoices,
    # whose lines are rounded every month: 4,349.77 €. The 2 cents are acme-api's Logtrail Pro addon
    # (per-minute price with fractions of a cent): 176.67 € in usage, 176.65 € over 7 invoices.
    assert re.search(r'<td class="num[^"]*"[^>]*>€4,349.79</td>', body)
    assert "Invoiced for January 2026 to November 2026: €4,349.77 excluding VAT." in note
    assert "each invoice line is rounded to the cent every month" in note
    # A running month, or a range that is not whole months, has no invoices to set beside it.
    assert 'id="usage-invoiced"' not in client.get("/usage/").content.decode()
    partial = client.get("/usage/?preset=custom&from=2026-01-01&to=2026-11-29").content.decode()
    assert 'id="usage-invoiced"' not in partial
    same = client.get("/usage/?preset=last_month").content.decode()
    assert "Invoiced for November 2026: " in same
    assert "rounded to the cent every month" not in same  # one month: the totals agree
