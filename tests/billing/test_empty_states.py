"""Empty states are designed: no chart of zeros, no page-size selector on a short list, no
"≈ €0.00" estimate for an account that uses nothing."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_shows_no_chart_of_zeros_without_invoices(signed_in_as):
    client = signed_in_as("empty")
    body = client.get("/invoices/reports/").content.decode()
    assert "No invoice in this period yet: the chart appears with the first one." in body
    assert "<svg" not in body
    assert "Total including VAT" not in body


def test_it_still_draws_the_chart_when_there_are_invoices(signed_in_as):
    body = signed_in_as("teamadmin").get("/invoices/reports/").content.decode()
    assert "<svg" in body
    assert "No invoice in this period yet" not in body


def test_it_offers_no_page_size_for_a_short_invoice_list(signed_in_as):
    body = signed_in_as("ordinary").get("/invoices/?per_page=50").content.decode()
    assert 'name="per_page"' in body  # kept, hidden, so a filter keeps the chosen size
    assert '<input type="hidden" name="per_page" value="50">' in body
    assert "Per page" not in body
    assert '<select name="per_page"' not in body


def test_it_offers_a_page_size_for_a_long_invoice_list(signed_in_as):
    body = signed_in_as("teamadmin").get("/invoices/").content.decode()
    assert "Per page" in body
    assert '<select name="per_page"' in body


def test_it_offers_no_page_size_for_a_short_payment_history(signed_in_as):
    body = signed_in_as("ordinary").get("/billing/").content.decode()
    assert "Payment history" in body
    assert 'id="history-per-page"' not in body


def test_it_offers_a_page_size_for_a_long_payment_history(signed_in_as):
    body = signed_in_as("teamadmin").get("/billing/").content.decode()
    assert 'id="history-per-page"' in body


def test_it_shows_no_month_estimate_of_zero(signed_in_as):
    client = signed_in_as("empty")
    overview = client.get("/").content.decode()
    assert "This month&#x27;s usage" in overview or "This month's usage" in overview
    assert "Estimated for the whole month" not in overview
    usage = client.get("/usage/").content.decode()
    assert "Estimate for the month" not in usage
    assert "No usage in this period." in usage
