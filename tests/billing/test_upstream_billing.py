"""Parsing of the billing endpoints, against the published examples and their quirks (§8)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import httpx
import pytest

from dashboard.money import Money
from dashboard.upstream import billing, errors
from dashboard.upstream.http import set_transport_for_tests

PROFILE_EXAMPLE = {
    "billing_profile": {
        "id": "576ba47261d7b200157d9973",
        "name": "John Doe",
        "email": "john.doe@example.com",
        "address_line1": "15 avenue du Rhin",
        "address_line2": "",
        "address_city": "Strasbourg",
        "credit": 15.0,
        "address_zip": "67100",
        "address_state": None,
        "address_country": "France",
        "vat_number": "",
        "invoice_additional_info": "",
        "company": "Scalingo",
        "payment_method": "stripe",
        "stripe_payment_method": {
            "id": "576ba474fb0df6011805a681",
            "default_card_last4": "3935",
            "default_card_exp": "10/2020",
            "default_card_brand": "Visa",
            "default_card_name": "Doe",
            "sepa_bank_code": None,
            "sepa_country": None,
            "sepa_last4": None,
            "sepa_mandate_reference": None,
            "sepa_mandate_url": None,
        },
        "paypal_payment_method": None,
    }
}

OPERATIONS_EXAMPLE = {
    "billing-operations": [
        {
            "id": "deada621-e5be-47dd-bf64-85b06b99a0ea",
            "created_at": "2016-09-01T15:02:09.013+02:00",
            "amount": 0.1,
            "source": "invoicing",
            "description": "Invoice for August 2016",
            "invoice_id": "23d2c27f-bab0-4038-b3d7-2e6f06f3d27a",
            "invoice_url": "http://download.scalingo.com/invoices/23d2c27f-bac0-4038-b3d7-2e6f06f3d27a/download",
        }
    ],
    "meta": {
        "pagination": {"current_page": 1, "next_page": None, "previous_page": None, "total_pages": 1, "total_count": 1}
    },
}

INVOICE_EXAMPLE = {
    "id": "23d2c27f-bac0-4038-b3d7-2e6f06f3d27a",
    "total_price": 0,
    "total_price_with_vat": 0,
    "billing_month": "2020-08-01",
    "pdf_url": "https://download.scalingo.com/invoices/23d2c27f-bac0-4038-b3d7-2e6f06f3d27a/download",
    "invoice_number": "2020-09-1442",
    "state": "paid",
    "vat_rate": 200,
    "items": [
        {"id": "a", "label": "Containers Runtime", "price": 2200},
        {"id": "b", "label": "Addons", "price": 0},
        {"id": "c", "label": "Free Trial 2020-06-02 15:07 -> 2020-09-30 15:07", "price": -2200},
    ],
    "detailed_items": [
        {"id": "d", "label": "Containers - type: web- size: S", "price": 725, "app": "example-app", "duration": 43200}
    ],
}

APP_USAGE = {
    "app": "example-app",
    "app_id": "5343eccd646173000a140000",
    "status": "running",
    "first_month": "8/2020",
    "runtimes": [
        {
            "size": {"id": "s", "name": "M", "human_name": "Medium", "human_cpu": "standard", "memory": 536870912},
            "price": 1.65,
            "duration": 4949,
        }
    ],
    "addon_usages": [
        {
            "addon": {
                "id": "ad-1",
                "addon_provider": {"id": "postgresql", "name": "PostgreSQL", "logo_url": "//cdn/x.svg"},
                "plan": {"name": "postgresql-sandbox", "display_name": "Sandbox"},
            },
            "price": 0.1,
            "runtime": 4949,
            "provisioned_at": "2020-08-03T10:00:00.000Z",
            "status": "running",
            "deprovisioned_at": None,
        }
    ],
}


@pytest.fixture
def answer():
    """``answer(status, body)`` makes the mock upstream reply with it; returns the requests seen."""
    seen: list[httpx.Request] = []

    def _answer(status: int, body, headers=None):
        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            content = body if isinstance(body, bytes) else json.dumps(body).encode()
            return httpx.Response(status, content=content, headers=headers or {})

        set_transport_for_tests(httpx.MockTransport(handler))
        return seen

    yield _answer
    set_transport_for_tests(None)


class FakeAuth:
    def bearer(self) -> str:
        return "bearer-value"

    def reexchange(self, refused: str | None = None) -> str:
        return "bearer-value"


AUTH = FakeAuth()


def test_it_reads_the_published_profile(answer):
    answer(200, PROFILE_EXAMPLE)
    profile = billing.billing_profile_get(auth=AUTH)
    assert profile is not None
    assert profile.credit == Money(Decimal("15.0"))
    assert profile.stripe.card_exp == date(2020, 10, 1)
    assert profile.stripe.is_card and not profile.stripe.is_sepa
    assert profile.address_state is None
    assert not profile.has_paypal


def test_it_reads_a_credit_given_as_a_string(answer):
    body = {"billing_profile": {**PROFILE_EXAMPLE["billing_profile"], "credit": "42.50"}}
    answer(200, body)
    assert billing.billing_profile_get(auth=AUTH).credit == Money(Decimal("42.50"))


def test_it_handles_a_missing_profile_as_none(answer):
    answer(404, {"resource": "billing_profile", "error": "not found"})
    assert billing.billing_profile_get(auth=AUTH) is None


def test_it_reads_operations_with_euro_amounts(answer):
    seen = answer(200, OPERATIONS_EXAMPLE)
    page = billing.billing_operation_list(auth=AUTH, page=2, per_page=10)
    assert page.items[0].amount.amount == Decimal("0.1")
    assert page.items[0].invoice_id == "23d2c27f-bab0-4038-b3d7-2e6f06f3d27a"
    assert page.pagination.next_page is None
    assert seen[0].url.params["page"] == "2" and seen[0].url.params["per_page"] == "10"


def test_it_reads_invoices_in_cents(answer):
    answer(200, {"invoices": [INVOICE_EXAMPLE], "meta": {"pagination": {"current_page": 1, "total_pages": 1}}})
    invoice = billing.invoice_list(auth=AUTH).items[0]
    assert invoice.items[0].price == Money(Decimal("22"))
    assert invoice.detailed_items[0].duration_minutes == 43200
    assert invoice.billing_month == date(2020, 8, 1)


def test_it_reads_the_download_location(answer):
    seen = answer(302, b"", {"location": "https://download.example/invoice.pdf"})
    assert billing.invoice_download_url(auth=AUTH, invoice_id="x") == "https://download.example/invoice.pdf"
    assert seen[0].url.path.endswith("/account/invoices/x/download")


def test_it_handles_a_download_without_location(answer):
    answer(302, b"")
    with pytest.raises(errors.MalformedResponse):
        billing.invoice_download_url(auth=AUTH, invoice_id="x")


@pytest.mark.parametrize(
    "usage",
    [[APP_USAGE], APP_USAGE, {"example-app": APP_USAGE}],
    ids=["array", "single-object", "map"],
)
def test_it_reads_every_usage_shape(answer, usage):
    seen = answer(200, {"usage": usage})
    apps = billing.usage_get(auth=AUTH, date_from=date(2020, 10, 1), date_to=date(2020, 11, 1))
    assert [a.app for a in apps] == ["example-app"]
    assert apps[0].total == Money(Decimal("1.75"))
    assert apps[0].first_month == date(2020, 8, 1)
    assert seen[0].url.params["from"] == "2020-10-01" and seen[0].url.params["to"] == "2020-11-01"


def test_it_handles_a_malformed_usage(answer):
    answer(200, {"usage": "nope"})
    with pytest.raises(errors.MalformedResponse):
        billing.usage_get(auth=AUTH, date_from=None, date_to=None)


def test_it_sends_profile_writes_to_the_billing_host(answer, settings):
    settings.SCALINGO_BILLING_URL = "https://cashmachine.example"
    seen = answer(200, {"profile": PROFILE_EXAMPLE["billing_profile"]})
    billing.billing_profile_update(auth=AUTH, profile_id="576b", fields={"name": "Jane"})
    assert str(seen[0].url) == "https://cashmachine.example/profiles/576b"
    assert json.loads(seen[0].content) == {"profile": {"name": "Jane"}}


def test_it_maps_profile_validation_errors(answer):
    answer(422, {"errors": {"vat_number": ["is invalid"]}})
    with pytest.raises(errors.ValidationFailed) as caught:
        billing.billing_profile_create(auth=AUTH, fields={"name": "Jane"})
    assert caught.value.errors == {"vat_number": ["is invalid"]}
