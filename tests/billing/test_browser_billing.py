"""In Chromium: change the usage range, download an invoice PDF, export a CSV."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_changes_the_usage_range_in_a_browser(browser_signed_in, upstream):
    page = browser_signed_in("teamadmin")
    page.goto(f"{upstream.url}/usage/")
    assert page.get_by_text("Estimate for the month").first.is_visible()
    page.get_by_role("link", name="Last month").click()
    page.wait_for_url(re.compile(r".*/usage/\?preset=last_month$"))
    assert page.get_by_text("Estimate for the month").count() == 0
    today = timezone.localdate()
    page.get_by_label("From").fill((today - timedelta(days=20)).isoformat())
    page.get_by_label("To (included)").fill((today - timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Show usage").click()
    error = page.get_by_text("The last day must be on or after the first day.")
    error.wait_for()
    assert page.get_by_label("From").input_value() == (today - timedelta(days=20)).isoformat()
    page.get_by_label("To (included)").fill((today - timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Show usage").click()
    page.wait_for_url(re.compile(r".*preset=custom.*"))
    page.get_by_role("table", name="Totals per app").wait_for()
    page.go_back()
    page.wait_for_url(re.compile(r".*preset=custom.*from=.*"))


def test_it_downloads_an_invoice_pdf_in_a_browser(browser_signed_in, upstream):
    page = browser_signed_in("ordinary")
    page.goto(f"{upstream.url}/invoices/")
    link = page.get_by_role("link", name=re.compile(r"^PDF")).first
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert re.fullmatch(r"invoice-[\w-]+\.pdf", download.suggested_filename)
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_it_exports_the_filtered_invoices_as_csv_in_a_browser(browser_signed_in, upstream):
    page = browser_signed_in("suspended")
    page.goto(f"{upstream.url}/invoices/")
    page.get_by_label("State").select_option("paid")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r".*state=paid.*"))
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("as CSV")).click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    assert lines[0].startswith("invoice_number,")
    assert len(lines) > 1 and all(",paid," in line for line in lines[1:])


def test_it_downloads_the_yearly_zip_with_javascript_on(browser_signed_in, upstream, sandbox_invoices):
    """Issue 10 #1: the click must start the download and the progress, not one instead of the other."""
    import zipfile

    page = browser_signed_in("teamadmin")
    page.goto(f"{upstream.url}/invoices/reports/")
    link = page.get_by_role("link", name=re.compile(r"^Download invoices-\d{4}\.zip$"))
    year = int(re.search(r"\d{4}", link.inner_text()).group())
    expected = sorted(
        f"invoice-{i.invoice_number}.pdf" for i in sandbox_invoices("teamadmin") if i.billing_month.year == year
    )
    assert expected, "the seed gives teamadmin invoices that year"
    with page.expect_download(timeout=15_000) as info:
        link.click()
    download = info.value
    assert download.suggested_filename == f"invoices-{year}.zip"
    assert download.failure() is None
    with zipfile.ZipFile(download.path()) as archive:
        assert sorted(archive.namelist()) == expected
        for name in expected:
            assert archive.read(name)[:5] == b"%PDF-", name
    progress = page.locator("#archive-progress")
    progress.get_by_text(f"All {len(expected)} PDFs are in the archive").wait_for(timeout=15_000)
    assert "Preparing" not in progress.inner_text()


def test_it_downloads_the_yearly_zip_with_javascript_off(browser, upstream):
    import zipfile

    from tests.helpers import demo

    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(f"{upstream.url}/signin/?method=token")
        page.get_by_label("API token").fill(demo("teamadmin").api_token)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{upstream.url}/")
        page.goto(f"{upstream.url}/invoices/reports/")
        with page.expect_download(timeout=15_000) as info:
            page.get_by_role("link", name=re.compile(r"^Download invoices-\d{4}\.zip$")).click()
        with zipfile.ZipFile(info.value.path()) as archive:
            names = archive.namelist()
            assert names and all(re.fullmatch(r"invoice-[\w-]+\.pdf", n) for n in names)
            assert all(archive.read(n)[:5] == b"%PDF-" for n in names)
    finally:
        context.close()
