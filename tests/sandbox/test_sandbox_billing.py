"""Contract §3: billing profile (REGIONAL and BILLING hosts), operations, invoices and their PDF,
usage, referrals, events; plus each demo account's billing state."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.sandbox.sandbox_support import Sandbox

PROFILE_KEYS = {
    "id", "name", "email", "company", "address_line1", "address_line2", "address_city",
    "address_zip", "address_state", "address_country", "vat_number", "invoice_additional_info",
    "credit", "payment_method", "stripe_payment_method", "paypal_payment_method", "flags",
}  # fmt: skip
PAGINATION_KEYS = {
    "current_page", "per_page", "prev_page", "previous_page", "next_page", "total_pages",
    "total_count",
}  # fmt: skip


def test_a_card_profile(ordinary) -> None:
    response = ordinary.get("/api/osc-fr1/v1/account/billing/profile")
    assert response.status_code == 200
    profile = response.json()["billing_profile"]
    assert set(profile) == PROFILE_KEYS
    assert isinstance(profile["credit"], float)
    assert profile["payment_method"] == "stripe"
    card = profile["stripe_payment_method"]
    assert card["default_card_last4"] == "4242" and card["sepa_last4"] is None
    assert profile["paypal_payment_method"] is None
    assert profile["address_state"] is None


def test_the_profile_variants(sandbox: Sandbox) -> None:
    def profile(key: str) -> dict:
        response = sandbox.get("/api/osc-fr1/v1/account/billing/profile", headers=sandbox.headers(key))
        return response.json()["billing_profile"]

    github = profile("github")
    assert github["payment_method"] == "paypal" and github["credit"] == 42.5
    assert github["paypal_payment_method"]["id"]
    sepa = profile("suspended")["stripe_payment_method"]
    assert sepa["sepa_last4"] == "3000" and sepa["default_card_last4"] is None
    now = timezone.now()
    assert profile("teamadmin")["stripe_payment_method"]["default_card_exp"] == f"{now:%m/%Y}"


def test_no_profile_is_null_with_the_variant_on(sandbox: Sandbox) -> None:
    from sandbox import behaviours

    behaviours.enable("billing-profile-null")
    response = sandbox.get("/api/osc-fr1/v1/account/billing/profile", headers=sandbox.headers("empty"))
    assert response.status_code == 200
    assert response.json() == {"billing_profile": None}
    # An account with a profile still gets it.
    other = sandbox.get("/api/osc-fr1/v1/account/billing/profile", headers=sandbox.headers("ordinary"))
    assert other.json()["billing_profile"]["name"]


def test_the_country_is_a_code_with_the_variant_off(ordinary) -> None:
    profile = ordinary.get("/api/osc-fr1/v1/account/billing/profile").json()["billing_profile"]
    assert profile["address_country"] == "FR"


def test_the_country_is_a_name_with_the_variant_on(ordinary) -> None:
    from sandbox import behaviours

    behaviours.enable("billing-country-name")
    profile = ordinary.get("/api/osc-fr1/v1/account/billing/profile").json()["billing_profile"]
    assert profile["address_country"] == "France"


def test_no_profile_is_a_404(sandbox: Sandbox) -> None:
    headers = sandbox.headers("empty")
    for url in ("/api/osc-fr1/v1/account/billing/profile", "/billing/profile"):
        response = sandbox.get(url, headers=headers)
        assert response.status_code == 404
        assert response.json() == {"resource": "billing_profile", "error": "not found"}


def test_the_billing_host_creates_and_updates_a_profile(sandbox: Sandbox) -> None:
    headers = sandbox.headers("empty")
    invalid = sandbox.http.post(
        "/billing/profiles",
        headers=headers,
        json={"profile": {"name": "", "vat_number": "nonsense!", "email": "bad"}},
    )
    assert invalid.status_code == 422
    assert {"name", "address_country", "vat_number", "email"} <= set(invalid.json()["errors"])
    body = {"profile": {"name": "Empty Co", "address_country": "France", "vat_number": "FR 40 303265045"}}
    created = sandbox.http.post("/billing/profiles", headers=headers, json=body)
    assert created.status_code == 201
    profile = created.json()["profile"]
    assert profile["vat_number"] == "FR40303265045"
    again = sandbox.http.post("/billing/profiles", headers=headers, json=body)
    assert again.status_code == 422
    update = {
        "profile": {
            "company": "Empty SAS",
            "payment_method": "stripe",
            "stripe_payment_method": {"default_card_last4": "1881", "default_card_exp": "01/2030"},
        }
    }
    updated = sandbox.request("PUT", f"/billing/profiles/{profile['id']}", headers=headers, json=update)
    assert updated.status_code == 200
    assert updated.json()["profile"]["stripe_payment_method"]["default_card_last4"] == "1881"
    shown = sandbox.get("/billing/profile", headers=headers).json()["profile"]
    assert shown["company"] == "Empty SAS"
    missing = sandbox.request("PUT", "/billing/profiles/000000000000000000000000", headers=headers, json=update)
    assert missing.status_code == 404


def test_a_new_payment_method_pays_the_failed_invoice_and_lifts_suspension(sandbox: Sandbox) -> None:
    headers = sandbox.headers("suspended")
    profile = sandbox.get("/billing/profile", headers=headers).json()["profile"]
    body = {"profile": {"payment_method": "paypal"}}
    assert sandbox.request("PUT", f"/billing/profiles/{profile['id']}", headers=headers, json=body).status_code == 200
    user = sandbox.get("/auth/v1/users/self", headers=headers).json()["user"]
    assert user["suspended_at"] is None
    invoices = sandbox.get("/api/osc-fr1/v1/account/invoices", headers=headers).json()["invoices"]
    # Every failed invoice is paid; one not issued yet (early on the 1st) may still be new.
    assert {i["state"] for i in invoices} <= {"paid", "new"} and "paid" in {i["state"] for i in invoices}


def test_billing_operations_are_paginated_and_match_invoices(teamadmin) -> None:
    first = teamadmin.get("/api/osc-fr1/v1/account/billing/operations", params={"per_page": 10})
    assert first.status_code == 200
    body = first.json()
    assert set(body) == {"billing-operations", "meta"}
    meta = body["meta"]["pagination"]
    assert set(meta) == PAGINATION_KEYS
    assert meta["current_page"] == 1 and meta["prev_page"] is None and meta["previous_page"] is None
    assert meta["next_page"] == 2 and meta["total_count"] >= 37
    op = body["billing-operations"][0]
    assert set(op) == {"id", "created_at", "amount", "source", "description", "invoice_id", "invoice_url"}
    assert isinstance(op["amount"], float) and op["source"] == "invoicing"
    assert op["created_at"][-6] in "+-"
    invoice = teamadmin.get(f"/api/osc-fr1/v1/account/invoices/{op['invoice_id']}").json()["invoice"]
    assert round(invoice["total_price_with_vat"] / 100, 2) == op["amount"]
    last = teamadmin.get(
        "/api/osc-fr1/v1/account/billing/operations", params={"per_page": 10, "page": meta["total_pages"]}
    ).json()["meta"]["pagination"]
    assert last["next_page"] is None and last["prev_page"] == meta["total_pages"] - 1


@pytest.mark.parametrize("params", [{"page": "0"}, {"page": "x"}, {"per_page": "-1"}, {"per_page": "1.5"}])
def test_bad_pagination_is_a_422(teamadmin, params) -> None:
    for url in ("/api/osc-fr1/v1/account/billing/operations", "/api/osc-fr1/v1/account/invoices"):
        response = teamadmin.get(url, params=params)
        assert response.status_code == 422
        assert set(response.json()["errors"]) == set(params)


def test_per_page_is_clamped(teamadmin) -> None:
    response = teamadmin.get("/api/osc-fr1/v1/account/invoices", params={"per_page": 1000})
    assert response.json()["meta"]["pagination"]["per_page"] == 100


def test_invoices_are_consistent(teamadmin) -> None:
    response = teamadmin.get("/api/osc-fr1/v1/account/invoices", params={"per_page": 100})
    invoices = response.json()["invoices"]
    assert len(invoices) >= 37
    months = [i["billing_month"] for i in invoices]
    assert months == sorted(months, reverse=True)
    assert invoices[0]["state"] == "new"
    assert invoices[0]["billing_month"] == date.today().replace(day=1).isoformat()
    for invoice in invoices:
        assert set(invoice) >= {
            "id", "total_price", "total_price_with_vat", "billing_month", "pdf_url",
            "invoice_number", "state", "vat_rate", "items", "detailed_items",
        }  # fmt: skip
        assert invoice["total_price"] == sum(item["price"] for item in invoice["items"])
        vat = round(invoice["total_price"] * invoice["vat_rate"] / 1000)
        assert invoice["total_price_with_vat"] == invoice["total_price"] + vat
        details = sum(d["price"] for d in invoice["detailed_items"])
        assert details == sum(i["price"] for i in invoice["items"] if not i["label"].startswith("Free"))
        for detail in invoice["detailed_items"]:
            assert set(detail) == {"id", "label", "price", "app", "duration"}
            assert isinstance(detail["price"], int) and isinstance(detail["duration"], int)
        assert invoice["state"] in {"new", "paid", "failed"}


def test_a_free_trial_invoice_totals_zero(ordinary) -> None:
    invoices = ordinary.get("/api/osc-fr1/v1/account/invoices").json()["invoices"]
    first = invoices[-1]
    assert any(i["label"].startswith("Free Trial ") and " -> " in i["label"] for i in first["items"])
    assert first["total_price"] == 0


def test_unknown_invoice_is_a_404(ordinary) -> None:
    for suffix in ("", "/download"):
        response = ordinary.get(f"/api/osc-fr1/v1/account/invoices/nope{suffix}")
        assert response.status_code == 404
        assert response.json() == {"resource": "invoice", "error": "not found"}


def test_download_redirects_to_a_real_pdf(sandbox: Sandbox, ordinary) -> None:
    invoice = ordinary.get("/api/osc-fr1/v1/account/invoices").json()["invoices"][0]
    response = ordinary.get(
        f"/api/osc-fr1/v1/account/invoices/{invoice['id']}/download",
        headers={"Accept": "application/pdf,application/json"},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == invoice["pdf_url"]
    assert location.startswith(sandbox.base_url + "/sandbox/")
    pdf = sandbox.http.get(location)
    assert pdf.status_code == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert invoice["invoice_number"] in text
    assert "Containers Runtime" in text and "Total including VAT" in text
    assert invoice["detailed_items"][0]["app"] in text


def test_usage_per_app(teamadmin) -> None:
    response = teamadmin.get("/api/osc-fr1/v1/account/usage")
    assert response.status_code == 200
    usage = response.json()["usage"]
    assert isinstance(usage, list) and usage
    for entry in usage:
        assert set(entry) == {"app", "app_id", "status", "first_month", "runtimes", "addon_usages"}
        for runtime in entry["runtimes"]:
            assert isinstance(runtime["price"], float) and isinstance(runtime["duration"], int)
            assert set(runtime["size"]) == {
                "id", "human_cpu", "name", "human_name", "memory", "ordinal", "hourly_price",
                "thirtydays_price", "sku",
            }  # fmt: skip
        for addon in entry["addon_usages"]:
            assert set(addon) == {"addon", "price", "runtime", "provisioned_at", "status", "deprovisioned_at"}
            assert set(addon["addon"]["plan"]) >= {"id", "name", "display_name", "price", "sku"}
            assert "pricings" not in addon["addon"]["plan"]
    assert "3XL" in {r["size"]["name"] for e in usage for r in e["runtimes"]}


def test_usage_matches_the_invoice_of_a_past_month(teamadmin) -> None:
    invoice = teamadmin.get("/api/osc-fr1/v1/account/invoices").json()["invoices"][2]
    start = date.fromisoformat(invoice["billing_month"])
    end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    fr1 = teamadmin.get("/api/osc-fr1/v1/account/usage", params={"from": start, "to": end}).json()["usage"]
    secnum = teamadmin.get("/api/osc-secnum-fr1/v1/account/usage", params={"from": start, "to": end}).json()["usage"]
    usage_total = sum(r["price"] for e in fr1 + secnum for r in e["runtimes"] + e["addon_usages"])
    assert abs(usage_total * 100 - invoice["total_price"]) < 0.01 * 100 * 20


@pytest.mark.parametrize(
    "params",
    [{"from": "2020-13-01"}, {"from": "yesterday"}, {"from": "2020-1-1"}, {"from": "2021-01-01", "to": "2020-01-01"}],
)
def test_usage_answers_422_on_bad_dates(ordinary, params) -> None:
    response = ordinary.get("/api/osc-fr1/v1/account/usage", params=params)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["from"]


def test_usage_of_an_empty_range(ordinary) -> None:
    response = ordinary.get("/api/osc-fr1/v1/account/usage", params={"from": "2001-01-01", "to": "2001-02-01"})
    assert response.json() == {"usage": []}


def test_referral_stats(teamadmin) -> None:
    stats = teamadmin.get("/api/osc-fr1/v1/account/referrals/stats").json()["referral_stats"]
    assert stats == {
        "clicks": "165",
        "signups": 23,
        "amount_earned": 312.4,
        "url": stats["url"],
    }
    assert stats["url"].startswith("https://sclng.io/r/")


def test_events_are_paginated(ordinary) -> None:
    ordinary.post("/auth/v1/tokens", json={"name": "evented"})
    body = ordinary.get("/api/osc-fr1/v1/events", params={"per_page": 2}).json()
    assert set(body["meta"]["pagination"]) == PAGINATION_KEYS
    event = body["events"][0]
    assert event["type"] == "new_token"
    assert set(event) >= {"id", "created_at", "user", "type", "type_data"}


# The demo accounts' states


def test_the_empty_account_has_nothing(sandbox: Sandbox) -> None:
    headers = sandbox.headers("empty")
    assert sandbox.get("/api/osc-fr1/v1/account/invoices", headers=headers).json()["invoices"] == []
    ops = sandbox.get("/api/osc-fr1/v1/account/billing/operations", headers=headers).json()
    assert ops["billing-operations"] == [] and ops["meta"]["pagination"]["total_count"] == 0
    for region in ("osc-fr1", "osc-secnum-fr1"):
        assert sandbox.get(f"/api/{region}/v1/apps", headers=headers).json()["apps"] == []
        assert sandbox.get(f"/api/{region}/v1/account/usage", headers=headers).json()["usage"] == []
    assert sandbox.get("/auth/v1/keys", headers=headers).json()["keys"] == []


def test_the_suspended_account(sandbox: Sandbox) -> None:
    headers = sandbox.headers("suspended")
    user = sandbox.get("/auth/v1/users/self", headers=headers).json()["user"]
    assert user["suspended_at"] and user["suspension_reason"]
    invoices = sandbox.get("/api/osc-fr1/v1/account/invoices", headers=headers).json()["invoices"]
    failed = [i for i in invoices if i["state"] == "failed"]
    assert failed and all(i["created_at"] < user["suspended_at"] for i in failed[-1:])


def test_the_twofa_account(sandbox: Sandbox) -> None:
    tfa = sandbox.get("/auth/v1/client/tfa", headers=sandbox.headers("twofa")).json()["tfa"]
    assert tfa["enabled"] is True and tfa["provider"] == "totp"


def test_the_collaborator_owns_nothing(sandbox: Sandbox) -> None:
    headers = sandbox.headers("collaborator")
    user = sandbox.get("/auth/v1/users/self", headers=headers).json()["user"]
    apps = sandbox.get("/api/osc-fr1/v1/apps", headers=headers).json()["apps"]
    assert [a["name"] for a in apps] == ["acme-web"]
    assert apps[0]["owner"]["username"] != user["username"]
