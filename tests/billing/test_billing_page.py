"""Billing page: profile, payment method, credit, payment rules and the payment history."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sandbox import faults

PROFILE = "/v1/account/billing/profile"
OPERATIONS = "/v1/account/billing/operations"


def test_it_shows_the_profile_card_and_rules(signed_in, upstream):
    response = signed_in.get("/billing/")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body
    assert "15 avenue du Rhin" in body
    today = datetime.now(UTC)
    assert "Visa" in body and "4242" in body
    # The seed's card expires 20 months after the running month.
    months = today.year * 12 + today.month - 1 + 20
    assert f"{months % 12 + 1:02d}/{months // 12}" in body
    assert "retried every day for 5 days" in body
    assert "suspends the account" in body
    assert upstream.calls(route=PROFILE, method="GET") and upstream.calls(route=OPERATIONS, method="GET")


def test_it_warns_about_a_card_expiring_this_month(signed_in_as):
    body = signed_in_as("teamadmin").get("/billing/").content.decode()
    assert "American Express" in body
    assert "This card expires at the end of this month" in body
    assert "PO 2026-ACME-17" in body and "FR40303265045" in body


def test_it_shows_sepa_with_its_mandate(signed_in_as):
    body = signed_in_as("suspended").get("/billing/").content.decode()
    assert "SEPA debit" in body and "3000" in body and "FR" in body
    assert "https://payments.example.com/mandates/SANDBOX-SEPA-0001" in body


def test_it_shows_paypal_and_credit_in_french(signed_in_as):
    client = signed_in_as("github")
    client.cookies["dashboard_language"] = "fr"
    body = client.get("/billing/").content.decode()
    assert "PayPal" in body
    assert "42,50\xa0€" in body
    assert "Crédit prépayé" in body


def test_it_tells_an_account_without_profile_what_to_do(signed_in_as):
    body = signed_in_as("empty").get("/billing/").content.decode()
    assert "No billing profile yet" in body
    assert "Create the billing profile" in body
    assert "No payments yet." in body


@pytest.mark.parametrize("null_profile", [False, True], ids=["404", "200-null"])
def test_it_reads_no_profile_as_404_or_as_null(signed_in_as, upstream, sandbox_behaviour, null_profile):
    if null_profile:
        sandbox_behaviour("billing-profile-null")
    client = signed_in_as("empty")
    body = client.get("/billing/").content.decode()
    assert "No billing profile yet" in body
    assert "could not be loaded" not in body
    assert "Create the billing profile" in body
    overview = client.get("/").content.decode()
    assert "No billing profile yet" in overview
    assert "could not be loaded" not in overview
    form = client.get("/billing/profile/")
    assert form.status_code == 200
    data = {"name": "Demo Empty", "address_line1": "2 rue", "address_zip": "67000", "address_city": "Strasbourg"}
    data["address_country"] = "FR"
    response = client.post("/billing/profile/", data, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == "/billing/"
    assert len(upstream.calls(route="/profiles", method="POST")) == 1
    assert upstream.calls(route="/profiles/:id", method="PUT") == []


def test_it_paginates_the_payment_history_as_a_fragment(signed_in_as, upstream):
    client = signed_in_as("teamadmin")
    response = client.get("/billing/?page=2&per_page=10", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="payment-history")
    body = response.content.decode()
    assert "<html" not in body and 'id="payment-history"' in body
    assert "Page 2 of" in body and 'rel="prev"' in body
    assert not upstream.calls(route=PROFILE)
    call = upstream.calls(route=OPERATIONS)[0]
    assert call["status"] == 200


def test_it_shows_a_history_failure_next_to_the_history(signed_in):
    faults.configure(forced="500", paths=["/sandbox/api/osc-fr1/v1/account/billing/operations"])
    body = signed_in.get("/billing/").content.decode()
    assert "The payment history could not be loaded" in body
    assert "15 avenue du Rhin" in body  # the rest of the page still renders


def test_it_shows_the_profile_form_inline_with_htmx(signed_in):
    response = signed_in.get("/billing/profile/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert 'value="15 avenue du Rhin"' in body


def test_it_saves_the_profile_through_the_billing_host(signed_in, upstream):
    data = {
        "name": "Demo Ordinary",
        "company": "Ordinary SARL",
        "email": "billing@example.com",
        "address_line1": "1 rue de la Paix",
        "address_zip": "75002",
        "address_city": "Paris",
        "address_country": "FR",
        "invoice_additional_info": "PO 42",
    }
    response = signed_in.post("/billing/profile/", data)
    assert response.status_code == 302 and response["Location"] == "/billing/"
    assert upstream.calls(route="/profiles/:id", method="PUT")
    body = signed_in.get("/billing/").content.decode()
    assert "Ordinary SARL" in body and "PO 42" in body and "Billing profile saved." in body


def test_it_creates_a_profile_when_there_is_none(signed_in_as, upstream):
    client = signed_in_as("empty")
    data = {"name": "Demo Empty", "address_line1": "2 rue", "address_zip": "67000", "address_city": "Strasbourg"}
    data["address_country"] = "FR"
    response = client.post("/billing/profile/", data, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == "/billing/"
    assert upstream.calls(route="/profiles", method="POST")


def test_it_handles_bad_input_with_messages_under_fields(signed_in, upstream):
    data = {"name": "", "address_line1": "1 rue", "address_zip": "1", "address_city": "X", "address_country": "FR"}
    data["email"] = "not-an-email"
    response = signed_in.post("/billing/profile/", data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in body and "Enter a valid email address." in body
    assert 'value="not-an-email"' in body
    assert not upstream.calls(route="/profiles/:id")


def test_it_handles_an_upstream_422_under_the_field(signed_in):
    # A country whose VAT format the dashboard does not check itself: the platform's 422 shows.
    data = {"name": "N", "address_line1": "1 rue", "address_zip": "1", "address_city": "X", "address_country": "US"}
    data["vat_number"] = "12-not-vat!"
    response = signed_in.post("/billing/profile/", data, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "This VAT number is not valid. Type the country code then the number" in body
    assert "is not a valid VAT number" not in body
    assert 'value="12-not-vat!"' in body


def test_it_handles_an_unavailable_billing_host(signed_in):
    faults.configure(forced="503", paths=["/sandbox/billing/"])
    data = {"name": "N", "address_line1": "1 rue", "address_zip": "1", "address_city": "X", "address_country": "FR"}
    body = signed_in.post("/billing/profile/", data).content.decode()
    assert "Nothing was saved" in body and 'value="1 rue"' in body
