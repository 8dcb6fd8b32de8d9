"""Team-admin reports: spend chart with its table, month-over-month movers, yearly ZIP of PDFs."""

from __future__ import annotations

import io
import re
import zipfile

import httpx


def test_it_shows_the_spend_chart_and_its_table(signed_in_as):
    client = signed_in_as("teamadmin")
    body = client.get("/invoices/reports/").content.decode()
    assert "<svg" in body and 'role="img"' in body
    assert body.count('class="chart-bar') == 12
    assert "Show the figures as a table" in body
    assert "Biggest mover" in body


def test_it_switches_the_chart_period_as_a_fragment(signed_in_as):
    client = signed_in_as("teamadmin")
    for months in (24, 36):
        response = client.get(f"/invoices/reports/?months={months}", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="spend")
        body = response.content.decode()
        assert "<html" not in body and 'id="spend"' in body
        assert body.count('class="chart-bar') == months
        assert f'?months={months}" hx-get' in body and 'aria-current="page"' in body


def test_it_shows_the_chart_months_from_the_invoices(signed_in_as, sandbox_invoices):
    client = signed_in_as("ordinary")
    invoices = sandbox_invoices("ordinary")
    body = client.get("/invoices/reports/").content.decode()
    table = body[body.index("<details") : body.index("</details>")]
    amounts = re.findall(r'<td class="num">€([\d,]+\.\d\d)</td>', table)
    expected = sorted(f"{i.total_price_with_vat / 100:,.2f}" for i in invoices)
    assert sorted(amounts) == expected


def test_it_zips_every_pdf_of_a_year(signed_in_as, upstream, sandbox_invoices, stable_pdfs):
    client = signed_in_as("teamadmin")
    invoices = sandbox_invoices("teamadmin")
    year = invoices[13].billing_month.year
    of_year = [i for i in invoices if i.billing_month.year == year]
    response = client.get(f"/invoices/archive/{year}.zip?job=test-job")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="invoices-{year}.zip"'
    assert response.streaming
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == sorted(f"invoice-{i.invoice_number}.pdf" for i in of_year)
    sample = of_year[0]
    original = httpx.get(f"{upstream.url}/sandbox/files/invoices/{sample.id}.pdf").content
    assert archive.read(f"invoice-{sample.invoice_number}.pdf") == original
    progress = client.get("/invoices/archive/progress/test-job/", HTTP_HX_REQUEST="true").content.decode()
    assert f"All {len(of_year)} PDFs are in the archive" in progress
    assert "hx-get" not in progress  # polling stops once finished


def test_it_lists_pdfs_it_could_not_fetch_in_the_zip(signed_in_as, sandbox_invoices, monkeypatch):
    from dashboard.upstream import billing as upstream_billing
    from dashboard.upstream import errors

    client = signed_in_as("ordinary")
    invoices = sandbox_invoices("ordinary")
    year = invoices[0].billing_month.year
    failing = invoices[0].id
    real = upstream_billing.invoice_download_url

    def flaky(*, auth, invoice_id):
        if invoice_id == failing:
            raise errors.ServerError("boom", status=500)
        return real(auth=auth, invoice_id=invoice_id)

    monkeypatch.setattr(upstream_billing, "invoice_download_url", flaky)
    response = client.get(f"/invoices/archive/{year}.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert f"invoice-{invoices[0].invoice_number}.pdf" not in archive.namelist()
    assert invoices[0].invoice_number in archive.read("MISSING.txt").decode()


def test_it_shows_progress_while_waiting(signed_in_as):
    client = signed_in_as("teamadmin")
    body = client.get("/invoices/archive/progress/not-started/?waited=2", HTTP_HX_REQUEST="true").content.decode()
    assert "Preparing the archive" in body and "load delay:1s" in body
    late = client.get("/invoices/archive/progress/not-started/?waited=40", HTTP_HX_REQUEST="true").content.decode()
    assert "has not started" in late and "hx-get" not in late


def test_it_handles_a_year_without_invoices(signed_in_as):
    assert signed_in_as("ordinary").get("/invoices/archive/1999.zip").status_code == 404


def test_it_shows_the_reports_offer_with_the_year_count(signed_in_as, sandbox_invoices):
    client = signed_in_as("teamadmin")
    invoices = sandbox_invoices("teamadmin")
    year = invoices[13].billing_month.year
    count = sum(1 for i in invoices if i.billing_month.year == year)
    body = client.get(f"/invoices/reports/?year={year}").content.decode()
    assert f"{count} invoices in {year}" in body
    assert f"/invoices/archive/{year}.zip?job=" in body
