"""Usage: presets, custom ranges with validation, per-app tables, forecast and CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from billing.usage import USAGE_CSV_HEADER, UsageReport, month_forecast
from dashboard.money import Money
from sandbox import faults

USAGE = "/v1/account/usage"


def _today() -> date:
    return timezone.localdate()


def test_it_shows_this_month_by_default(signed_in_as, upstream):
    client = signed_in_as("teamadmin")
    response = client.get("/usage/")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body
    assert "acme-web" in body and "acme-hds-portal" in body  # both regions
    assert "Estimate for the month" in body
    calls = upstream.calls(route=USAGE, method="GET")
    assert {c["region"] for c in calls} == {"osc-fr1", "osc-secnum-fr1"}
    assert all(c["path"] for c in calls)


def test_it_shows_a_preset_as_an_htmx_fragment(signed_in_as):
    client = signed_in_as("teamadmin")
    response = client.get("/usage/?preset=last_month", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="usage-body")
    body = response.content.decode()
    assert "<html" not in body and 'id="usage-body"' in body
    last_day = _today().replace(day=1) - timedelta(days=1)
    assert f"{last_day.day} {last_day:%B %Y}" in body  # "30 November 2026"
    assert "Estimate for the month" not in body  # only this month's range is projected


@pytest.mark.parametrize(
    ("query", "message", "kept"),
    [
        ("from=2024-02-30&to=2024-03-01", "Enter a date as YYYY-MM-DD", "2024-02-30"),
        ("from=yesterday&to=2024-03-01", "Enter a date as YYYY-MM-DD", "yesterday"),
        ("from=2024-03-10&to=2024-03-01", "The last day must be on or after the first day.", "2024-03-10"),
        ("from=2022-01-01&to=2023-06-01", "The period is longer than a year", "2022-01-01"),
        ("from=2024-01-01&to=2999-01-01", "This date is in the future", "2999-01-01"),
        ("from=&to=2024-01-01", "Enter the first day of the period.", "2024-01-01"),
    ],
    ids=["impossible-date", "malformed", "from-after-to", "over-a-year", "future", "missing"],
)
def test_it_handles_bad_ranges_with_a_message_under_the_field(signed_in_as, upstream, query, message, kept):
    client = signed_in_as("ordinary")
    response = client.get(f"/usage/?preset=custom&{query}")
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert f'value="{kept}"' in body
    assert 'class="field-errors"' in body and 'aria-invalid="true"' in body
    assert not upstream.calls(route=USAGE)
    htmx = client.get(f"/usage/?preset=custom&{query}", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and message in htmx.content.decode()


def test_it_exports_the_same_range_as_csv(signed_in_as):
    client = signed_in_as("teamadmin")
    response = client.get("/usage/export.csv?preset=last_month")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == USAGE_CSV_HEADER
    apps = {row[1] for row in rows[1:-1]}
    assert {"acme-web", "acme-api", "acme-hds-portal"} <= apps
    total = sum(Decimal(row[5]) for row in rows[1:-1])
    assert rows[-1][2] == "total"
    assert abs(Decimal(rows[-1][5]) - total) <= Decimal("0.01") * len(rows)
    page = client.get("/usage/?preset=last_month").content.decode()
    assert f"€{Decimal(rows[-1][5]):,.2f}" in page


def test_it_handles_a_csv_export_of_a_bad_range(signed_in_as):
    client = signed_in_as("ordinary")
    response = client.get("/usage/export.csv?preset=custom&from=2024-03-10&to=2024-03-01")
    assert response.status_code == 302 and response["Location"].startswith("/usage/?")


def test_it_handles_one_region_failing(signed_in_as):
    client = signed_in_as("teamadmin")
    faults.configure(forced="500", paths=["/sandbox/api/osc-secnum-fr1/"])
    body = client.get("/usage/").content.decode()
    assert "acme-web" in body
    assert "could not be loaded" in body and "SecNumCloud" in body


def test_it_handles_every_region_failing(signed_in_as):
    client = signed_in_as("teamadmin")
    faults.configure(forced="malformed", paths=["/sandbox/api/"])
    response = client.get("/usage/")
    assert response.status_code == 200
    assert "Usage could not be loaded" in response.content.decode()


def test_it_shows_usage_in_french(signed_in_as):
    client = signed_in_as("teamadmin")
    client.cookies["dashboard_language"] = "fr"
    body = client.get("/usage/?preset=last_month").content.decode()
    assert "Consommation" in body and "Totaux par application" in body
    assert "\xa0€" in body


def _report(apps_total: str, date_from: date, date_to: date, **changes) -> UsageReport:
    from dashboard.upstream.billing import AppUsage, ContainerSizeRef, RuntimeUsage

    app = AppUsage(
        app="web",
        app_id="a1",
        status="running",
        first_month=None,
        runtimes=(RuntimeUsage(ContainerSizeRef("s", "M", "M", "", None), Money(Decimal(apps_total)), 60),),
        addon_usages=(),
    )
    return UsageReport(date_from, date_to, [("Paris", replace(app, **changes))], [], None)


def test_it_forecasts_linearly_once_the_month_is_a_week_old():
    now = datetime(2024, 4, 16, 0, 0, tzinfo=UTC)  # 15 of 30 days elapsed
    report = _report("30.00", date(2024, 4, 1), date(2024, 4, 16))
    forecast = month_forecast(report, now=now)
    assert forecast is not None and forecast.method == "linear"
    assert forecast.elapsed_ratio == Decimal(15) / Decimal(30)
    assert forecast.total.rounded() == Money(Decimal("60.00"))
    assert forecast.per_app["a1"].rounded() == Money(Decimal("60.00"))
    assert forecast.month_end == date(2024, 4, 30)


def test_it_forecasts_only_this_months_range():
    now = datetime(2024, 4, 16, 12, 0, tzinfo=UTC)
    assert month_forecast(_report("1", date(2024, 3, 1), date(2024, 3, 31)), now=now) is None
    assert month_forecast(_report("1", date(2024, 3, 18), date(2024, 4, 16)), now=now) is None


def _young_report(*, status: str = "running", addon_gone: bool = False) -> UsageReport:
    """06:00 UTC on 1 April: an M container (14.40 € per 30 days = 0.02 €/h) for 6 hours, and a
    PostgreSQL addon (72 € per 30 days = 0.10 €/h), removed at 03:00 or still there."""
    from dashboard.upstream.billing import AddonUsage, AppUsage, ContainerSizeRef, RuntimeUsage

    size = ContainerSizeRef("s", "M", "M", "", None, thirtydays_price=Money(Decimal("14.40")))
    addon = AddonUsage(
        addon_id="ad-1",
        provider_name="PostgreSQL",
        plan_name="Business 1G",
        price=Money(Decimal("0.30") if addon_gone else Decimal("0.60")),
        runtime_minutes=180 if addon_gone else 360,
        status="deprovisioned" if addon_gone else "running",
        provisioned_at=datetime(2024, 3, 1, tzinfo=UTC),
        deprovisioned_at=datetime(2024, 4, 1, 3, 0, tzinfo=UTC) if addon_gone else None,
        plan_price=Money(Decimal("72")),
    )
    app = AppUsage(
        app="web",
        app_id="a1",
        status=status,
        first_month=None,
        runtimes=(RuntimeUsage(size, Money(Decimal("0.12")), 360),),
        addon_usages=(addon,),
    )
    return UsageReport(date(2024, 4, 1), date(2024, 4, 1), [("Paris", app)], [], None)


def test_it_forecasts_a_young_month_from_what_runs_now_on_the_utc_clock():
    # 08:00 in Paris is 06:00 UTC: six hours of usage, not eight (the old clock mix: 25 % low).
    now = datetime(2024, 4, 1, 8, 0, tzinfo=ZoneInfo("Europe/Paris"))
    forecast = month_forecast(_young_report(), now=now)
    assert forecast is not None and forecast.method == "running_rate"
    assert forecast.hourly_rate == Money(Decimal("0.12"))
    # 0.72 € so far + 0.12 €/h x 714 hours left of April's 720.
    assert forecast.total.rounded() == Money(Decimal("86.40"))


def test_it_does_not_project_an_addon_removed_this_morning():
    now = datetime(2024, 4, 1, 6, 0, tzinfo=UTC)
    forecast = month_forecast(_young_report(addon_gone=True), now=now)
    assert forecast is not None and forecast.hourly_rate == Money(Decimal("0.02"))
    assert forecast.total.rounded() == Money(Decimal("14.70"))  # 0.42 + 0.02 x 714; linear: 50.40


def test_it_counts_no_container_for_a_stopped_app():
    now = datetime(2024, 4, 1, 6, 0, tzinfo=UTC)
    forecast = month_forecast(_young_report(status="stopped"), now=now)
    assert forecast is not None and forecast.hourly_rate == Money(Decimal("0.10"))


def test_it_handles_an_unknown_preset_with_a_message_at_the_periods(signed_in_as, upstream):
    client = signed_in_as("ordinary")
    response = client.get("/usage/?preset=bogus")
    body = response.content.decode()
    assert response.status_code == 400 and "<html" in body
    assert "This period is unknown: choose This month, Last month, Last 30 days or Custom." in body
    assert 'id="preset-errors"' in body and 'href="?preset=last_month"' in body  # the periods to pick
    assert "Select a valid choice" not in body
    assert not upstream.calls(route=USAGE)
    htmx = client.get("/usage/?preset=bogus", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and "This period is unknown" in htmx.content.decode()
