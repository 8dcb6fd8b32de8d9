"""The overview makes its known upstream calls, each once, in its one gather: its parts share the
account banner's user and invoices reads."""

from __future__ import annotations

import pytest

from tests.helpers import cold_page_calls

pytestmark = pytest.mark.django_db(transaction=True)

USAGE = [
    "GET api /v1/account/usage osc-fr1",
    "GET api /v1/account/usage osc-secnum-fr1",
    "GET auth /v1/regions",
]


def test_the_overview_makes_its_calls_once(signed_in, upstream):
    assert cold_page_calls(signed_in, upstream, "/") == (
        200,
        sorted(
            [
                *USAGE,
                "GET api /v1/account/billing/profile osc-fr1",  # the credit
                "GET api /v1/account/invoices osc-fr1",
                "GET auth /v1/users/self",
            ]
        ),
    )


@pytest.mark.parametrize(
    ("part", "expected"),
    [
        ("usage", USAGE),
        ("account", ["GET auth /v1/users/self"]),
        ("invoice", ["GET api /v1/account/invoices osc-fr1"]),
        ("credit", ["GET api /v1/account/billing/profile osc-fr1"]),
    ],
)
def test_a_retried_part_makes_only_its_calls(signed_in, upstream, part, expected):
    assert cold_page_calls(signed_in, upstream, f"/?part={part}", HTTP_HX_REQUEST="true") == (200, sorted(expected))


def test_with_the_regions_kept_the_page_asks_only_for_each_regions_usage(signed_in, upstream):
    """The regions are kept for everyone (``public:regions``): then each region's usage is a read of
    the page's one gather, and the regions are not asked again."""
    from django.core.cache import cache

    cold_page_calls(signed_in, upstream, "/?part=usage", HTTP_HX_REQUEST="true")  # keeps the regions
    stored = [k.split(":", 2)[2] for k in cache._cache]  # LocMemCache keys: ":<version>:<key>"
    cache.delete_many([k for k in stored if k.startswith("user:")])
    upstream.clear()
    assert signed_in.get("/").status_code == 200
    calls = sorted(
        f"{c['method']} {c['host']} {c['route']}" + (f" {c['region']}" if c.get("region") else "")
        for c in upstream.calls()
    )
    assert calls == sorted(
        [
            "GET api /v1/account/usage osc-fr1",
            "GET api /v1/account/usage osc-secnum-fr1",
            "GET api /v1/account/billing/profile osc-fr1",
            "GET api /v1/account/invoices osc-fr1",
            "GET auth /v1/users/self",
        ]
    )
