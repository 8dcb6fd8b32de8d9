"""Each billing page makes its known upstream calls, each once, in its one gather (the account
banner's user and invoices included: a page that needs the invoices shares the banner's read)."""

from __future__ import annotations

import pytest

from tests.helpers import cold_page_calls

pytestmark = pytest.mark.django_db(transaction=True)

BANNER = ["GET api /v1/account/invoices osc-fr1", "GET auth /v1/users/self"]
USAGE = [
    "GET api /v1/account/usage osc-fr1",
    "GET api /v1/account/usage osc-secnum-fr1",
    "GET auth /v1/regions",
]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "/billing/",
            [
                *BANNER,
                "GET api /v1/account/billing/operations osc-fr1",
                "GET api /v1/account/billing/profile osc-fr1",
                "GET api /v1/events osc-fr1",  # the payment attempts
            ],
        ),
        ("/invoices/", BANNER),
        ("/invoices/reports/", BANNER),
        ("/usage/", [*BANNER, *USAGE]),
        ("/usage/?preset=last_30_days", [*BANNER, *USAGE]),  # no whole month: no invoices of its own
    ],
)
def test_each_billing_page_makes_its_calls_once(signed_in, upstream, path, expected):
    assert cold_page_calls(signed_in, upstream, path) == (200, sorted(expected))


def test_a_usage_range_it_cannot_read_makes_only_the_banner_calls(signed_in, upstream):
    assert cold_page_calls(signed_in, upstream, "/usage/?preset=custom&from=2026-05-01&to=2026-04-01") == (
        400,
        BANNER,
    )


def test_the_invoice_page_makes_its_calls_once(signed_in, upstream, sandbox_invoices):
    invoice = sandbox_invoices("ordinary")[0]
    assert cold_page_calls(signed_in, upstream, f"/invoices/{invoice.id}/") == (
        200,
        sorted([*BANNER, "GET api /v1/account/invoices/:id osc-fr1", "GET api /v1/account/billing/profile osc-fr1"]),
    )


def test_the_payment_history_fragment_makes_no_banner_call(signed_in, upstream):
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "payment-history"}
    assert cold_page_calls(signed_in, upstream, "/billing/?page=1", **headers) == (
        200,
        [
            "GET api /v1/account/billing/operations osc-fr1",
            "GET api /v1/account/invoices osc-fr1",  # what tells whether each payment went through
            "GET api /v1/events osc-fr1",
        ],
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/invoices/export.csv", ["GET api /v1/account/invoices osc-fr1"]),
        ("/usage/export.csv", USAGE),
    ],
)
def test_a_download_reads_no_banner(signed_in, upstream, path, expected):
    """A download has no layout: only what the file holds is read, each once."""
    assert cold_page_calls(signed_in, upstream, path) == (200, sorted(expected))


def test_invoice_pages_past_the_first_are_read_inside_the_one_invoices_read(
    signed_in_as, upstream, sandbox_invoices, monkeypatch
):
    """Only page 1 tells how many pages there are: the rest are read after it, inside the read."""
    from billing import invoices

    monkeypatch.setattr(invoices, "INVOICES_PER_UPSTREAM_PAGE", 10)
    count = len(sandbox_invoices("teamadmin"))
    assert count > 20, "the team admin has invoices over several upstream pages"
    client = signed_in_as("teamadmin")
    pages = -(-count // 10)
    status, calls = cold_page_calls(client, upstream, f"/invoices/?per_page=10&page={pages}")
    assert status == 200
    assert calls.count("GET api /v1/account/invoices osc-fr1") == pages  # each upstream page once
    assert calls.count("GET auth /v1/users/self") == 1
    last = client.get(f"/invoices/?per_page=10&page={pages}").content.decode()
    assert f"Page {pages} of {pages}" in last  # every invoice is listed, the oldest on the last page
