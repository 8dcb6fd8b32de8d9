"""Invoices: list, filters, pagination, CSV, detail and the PDF streamed through the dashboard."""

from __future__ import annotations

import csv
import io

import pytest

from sandbox import faults

LIST = "/v1/account/invoices"


def test_it_shows_the_invoice_table(signed_in_as, upstream, sandbox_invoices):
    client = signed_in_as("teamadmin")
    response = client.get("/invoices/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body
    newest = sandbox_invoices("teamadmin")[0]
    assert newest.invoice_number in body
    assert "Page 1 of" in body
    assert upstream.calls(route=LIST, method="GET")


def test_it_shows_only_the_fragment_to_htmx(signed_in_as):
    client = signed_in_as("teamadmin")
    response = client.get("/invoices/?state=paid", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="invoice-results")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="invoice-results"' in body


def test_it_gives_the_whole_page_when_htmx_restores_history(signed_in_as):
    # The filters push their URL; with no history cache, Back asks htmx to fetch it again and it
    # replaces the whole body with the answer: a fragment there would leave a page without its layout.
    client = signed_in_as("teamadmin")
    response = client.get("/invoices/?state=paid", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body
    assert 'id="invoice-results"' in body


def test_it_handles_pagination_edges(signed_in_as, sandbox_invoices):
    client = signed_in_as("teamadmin")
    total = len(sandbox_invoices("teamadmin"))
    pages = -(-total // 10)
    first = client.get("/invoices/?per_page=10").content.decode()
    assert 'rel="prev"' not in first and 'rel="next"' in first
    last = client.get(f"/invoices/?per_page=10&page={pages}").content.decode()
    assert 'rel="next"' not in last and 'rel="prev"' in last
    assert f"Page {pages} of {pages}" in last
    beyond = client.get(f"/invoices/?per_page=10&page={pages + 5}").content.decode()
    assert f"Page {pages} of {pages}" in beyond
    junk = client.get("/invoices/?per_page=7&page=abc").content.decode()
    assert "Page 1 of" in junk  # odd values fall back to the defaults


def test_it_filters_by_state(signed_in_as, sandbox_invoices):
    client = signed_in_as("suspended")
    failed = [i for i in sandbox_invoices("suspended") if i.state == "failed"]
    paid = [i for i in sandbox_invoices("suspended") if i.state == "paid"]
    body = client.get("/invoices/?state=failed").content.decode()
    assert all(i.invoice_number in body for i in failed)
    assert not any(i.invoice_number in body for i in paid)
    assert "Payment failed" in body


def test_it_filters_by_month_range(signed_in_as, sandbox_invoices):
    client = signed_in_as("teamadmin")
    invoices = sandbox_invoices("teamadmin")
    start, end = invoices[5].billing_month, invoices[2].billing_month
    body = client.get(f"/invoices/?month_from={start:%Y-%m}&month_to={end:%Y-%m}&per_page=50").content.decode()
    shown = [i for i in invoices if i.invoice_number in body]
    assert shown == invoices[2:6]


def test_it_handles_a_bad_month_filter(signed_in_as):
    client = signed_in_as("teamadmin")
    body = client.get("/invoices/?month_from=2024-13&month_to=2023-01").content.decode()
    assert "Enter a month as YYYY-MM" in body
    assert 'value="2024-13"' in body


def test_it_exports_the_filtered_list_as_csv(signed_in_as, sandbox_invoices):
    client = signed_in_as("suspended")
    response = client.get("/invoices/export.csv?state=paid")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "invoice_number"
    expected = [i for i in sandbox_invoices("suspended") if i.state == "paid"]
    assert [r[0] for r in rows[1:]] == [i.invoice_number for i in expected]
    first = expected[0]
    assert rows[1][3] == f"{first.total_price / 100:.2f}"
    assert rows[1][6] == f"{first.total_price_with_vat / 100:.2f}"


def test_it_shows_the_invoice_detail_with_grouped_items(signed_in_as, sandbox_invoices):
    client = signed_in_as("teamadmin")
    invoice = sandbox_invoices("teamadmin")[1]
    body = client.get(f"/invoices/{invoice.id}/").content.decode()
    assert invoice.invoice_number in body
    assert "VAT (20%)" in body
    assert "Subtotal for acme-web" in body
    assert "the items add up to the total" in body


def test_it_handles_an_unknown_invoice(signed_in_as):
    client = signed_in_as("teamadmin")
    assert client.get("/invoices/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_it_streams_the_pdf_with_the_upstream_bytes(signed_in_as, upstream, sandbox_invoices, stable_pdfs):
    import httpx

    client = signed_in_as("ordinary")
    invoice = sandbox_invoices("ordinary")[0]
    response = client.get(f"/invoices/{invoice.id}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="invoice-{invoice.invoice_number}.pdf"'
    data = b"".join(response.streaming_content)
    original = httpx.get(f"{upstream.url}/sandbox/files/invoices/{invoice.id}.pdf").content
    assert data == original and data.startswith(b"%PDF")
    assert upstream.calls(route="/v1/account/invoices/:id/download", method="GET")


def test_it_resolves_the_download_on_demand_for_htmx(signed_in_as, upstream, sandbox_invoices):
    client = signed_in_as("ordinary")
    invoice = sandbox_invoices("ordinary")[0]
    response = client.get(f"/invoices/{invoice.id}/download/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == f"/invoices/{invoice.id}/download/"
    assert len(upstream.calls(route="/v1/account/invoices/:id/download")) == 1
    followed = client.get(response["HX-Redirect"])
    assert b"".join(followed.streaming_content).startswith(b"%PDF")
    # The location resolved for the htmx click is reused, not asked for again.
    assert len(upstream.calls(route="/v1/account/invoices/:id/download")) == 1


UNREACHABLE_PDF = "The invoice PDF could not be fetched from the platform right now. Please try again in a moment."
RATE_LIMITED_PDF = "Too many requests to the platform: wait a minute, then download the PDF again."


@pytest.mark.parametrize(
    ("fault", "message", "not_shown"),
    [
        ("500", UNREACHABLE_PDF, RATE_LIMITED_PDF),
        ("503", UNREACHABLE_PDF, RATE_LIMITED_PDF),
        ("malformed", UNREACHABLE_PDF, RATE_LIMITED_PDF),
        ("429", RATE_LIMITED_PDF, UNREACHABLE_PDF),
    ],
    ids=["500", "503", "malformed", "429"],
)
def test_it_handles_a_failed_download_with_a_message(signed_in_as, sandbox_invoices, fault, message, not_shown):
    client = signed_in_as("ordinary")
    invoice = sandbox_invoices("ordinary")[0]
    client.get(f"/invoices/{invoice.id}/")  # the invoice itself is readable
    faults.configure(forced=fault, paths=["/sandbox/api/osc-fr1/v1/account/invoices/"])
    response = client.get(f"/invoices/{invoice.id}/download/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert response.status_code == 503
    assert "<html" not in body
    assert message in body
    assert not_shown not in body


def test_it_handles_a_pdf_host_failure_without_a_broken_file(signed_in_as, upstream, sandbox_invoices, monkeypatch):
    from billing import invoices

    client = signed_in_as("ordinary")
    invoice = sandbox_invoices("ordinary")[0]
    # The 302 points at a download host that fails (a 502 page from its proxy).
    failing = f"{upstream.url}/sandbox/api/osc-fr1/v1/account/usage?_sandbox_fault=502"
    monkeypatch.setattr(invoices, "invoice_pdf_location", lambda *, caller, invoice_id: failing)
    response = client.get(f"/invoices/{invoice.id}/download/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "could not be fetched" in response.content.decode()


def test_it_handles_an_upstream_failure_on_the_list(signed_in_as):
    client = signed_in_as("teamadmin")
    faults.configure(forced="500", paths=["/sandbox/api/osc-fr1/v1/account/invoices"])
    response = client.get("/invoices/")
    assert response.status_code == 200
    assert "could not be loaded" in response.content.decode()


def test_it_shows_the_page_in_french(signed_in_as, sandbox_invoices):
    client = signed_in_as("teamadmin")
    client.cookies["dashboard_language"] = "fr"
    body = client.get("/invoices/?per_page=50").content.decode()
    assert "Factures" in body
    invoice = sandbox_invoices("teamadmin")[1]
    euros = f"{invoice.total_price_with_vat / 100:,.2f}".replace(",", "\u202f").replace(".", ",")
    assert f"{euros}\xa0€" in body
