"""Overview: account, last invoice, credit and month-to-date usage, each failing on its own; the
suspended and unpaid-invoice banners of the layout."""

from __future__ import annotations

import pytest

from sandbox import faults


@pytest.fixture
def sandbox_invoices():
    from sandbox.demo import demo_account
    from sandbox.models import Invoice
    from sandbox.seed import user_id_for

    def _invoices(key: str):
        return list(Invoice.objects.filter(user_id=user_id_for(demo_account(key))).order_by("-billing_month"))

    return _invoices


def test_it_shows_every_part(signed_in_as, upstream, sandbox_invoices):
    client = signed_in_as("teamadmin")
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body
    assert "Hello, Demo Teamadmin" in body
    running, last_complete = sandbox_invoices("teamadmin")[:2]
    # "Last invoice" is the last complete month's; the running month's is in progress.
    assert f"Invoice {last_complete.invoice_number}" in body
    assert f"Invoice {running.invoice_number}" not in body
    assert "in progress" in body
    assert "Prepaid credit" in body and "This month" in body
    assert "acme-web" in body and "Estimated for the whole month" in body
    assert "Quick links" in body
    # The banner and the page share one read of the invoices.
    assert len(upstream.calls(route="/v1/account/invoices", method="GET")) == 1
    assert len(upstream.calls(route="/v1/account/usage", method="GET")) == 2  # both regions


def test_it_shows_the_free_trial_and_no_billing_profile(signed_in_as):
    body = signed_in_as("empty").get("/").content.decode()
    assert "Running until" in body
    assert "No billing profile yet" in body and "No invoice yet." in body


def test_it_handles_one_part_failing_with_its_own_retry(signed_in_as):
    client = signed_in_as("teamadmin")
    faults.configure(forced="500", paths=["/sandbox/api/osc-fr1/v1/account/billing/profile"])
    body = client.get("/").content.decode()
    assert "The billing profile could not be loaded right now." in body
    assert 'hx-get="/?part=credit"' in body
    assert "acme-web" in body  # usage still shown
    faults.reset()
    retry = client.get("/?part=credit", HTTP_HX_REQUEST="true")
    fragment = retry.content.decode()
    assert "<html" not in fragment and 'id="overview-credit"' in fragment
    assert "€" in fragment


def test_it_shows_the_credit_in_french(signed_in_as):
    client = signed_in_as("github")
    client.cookies["dashboard_language"] = "fr"
    body = client.get("/").content.decode()
    assert "42,50\xa0€" in body and "Crédit prépayé" in body


def test_it_shows_the_suspended_banner_with_the_unpaid_invoice(signed_in_as):
    body = signed_in_as("suspended").get("/").content.decode()
    assert "Your account is suspended." in body
    assert 'href="/invoices/?state=failed"' in body
    assert "See the unpaid invoice" in body


def test_it_shows_the_unpaid_invoice_banner(signed_in_as, sandbox_invoices):
    from sandbox.models import User

    newest = sandbox_invoices("ordinary")[0]
    newest.state = "failed"
    newest.save()
    client = signed_in_as("ordinary")
    assert not User.objects.get(id=newest.user_id).suspended_at
    body = client.get("/usage/").content.decode()
    assert "The payment of an invoice failed." in body
    assert 'href="/invoices/?state=failed"' in body


def test_it_shows_no_banner_when_all_is_paid(signed_in):
    body = signed_in.get("/").content.decode()
    assert "banner-warning" not in body and "banner-danger" not in body


def test_it_keeps_the_page_when_the_banner_invoices_fail(signed_in_as):
    client = signed_in_as("suspended")
    faults.configure(forced="500", paths=["/sandbox/api/osc-fr1/v1/account/invoices"])
    body = client.get("/billing/").content.decode()
    assert "Your account is suspended." in body
    assert "SEPA debit" in body


def test_it_shows_the_rest_of_the_overview_when_the_account_cannot_be_read(signed_in, upstream):
    from django.core.cache import cache

    from sandbox import faults

    cache.clear()
    faults.configure(forced="500", paths=["/sandbox/auth/v1/users/self"])
    response = signed_in.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "The account could not be loaded right now." in html
    assert 'hx-get="/?part=account"' in html
    assert "Last invoice" in html and "Prepaid credit" in html
    faults.reset()
    part = signed_in.get("/?part=account", HTTP_HX_REQUEST="true")
    assert "<html" not in part.content.decode()
    assert "demo-ordinary" in part.content.decode()


def test_it_explains_referrals_when_the_stats_cannot_be_read(signed_in, upstream):
    from sandbox import faults

    faults.configure(forced="502", paths=["/sandbox/api/osc-fr1/v1/account/referrals/stats"])
    response = signed_in.get("/referrals/")
    html = response.content.decode()
    assert response.status_code == 503
    assert "Your referral link and results could not be loaded right now." in html
    assert "20% of the invoices" in html
