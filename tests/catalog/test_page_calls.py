"""The catalog pages make their known upstream calls, each once: the public catalog (anonymous),
and for a signed-in person their own sizes and the account banner's reads."""

from __future__ import annotations

import pytest

from tests.helpers import cold_page_calls

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC = [
    "GET api /v1/addon_categories osc-fr1",
    "GET api /v1/addon_providers osc-fr1",
    "GET api /v1/features/container_sizes osc-fr1",
]
SIGNED_IN = [
    *PUBLIC,
    "GET api /v1/account/invoices osc-fr1",
    "GET api /v1/features/container_sizes osc-fr1",  # the account's own sizes, with its bearer
    "GET auth /v1/users/self",
]


@pytest.mark.parametrize("path", ["/catalog/", "/catalog/estimate/"])
def test_a_visitor_page_makes_the_public_calls_once(client, upstream, path):
    assert cold_page_calls(client, upstream, path) == (200, sorted(PUBLIC))


@pytest.mark.parametrize("path", ["/catalog/", "/catalog/estimate/"])
def test_a_signed_in_page_makes_its_calls_once(signed_in, upstream, path):
    assert cold_page_calls(signed_in, upstream, path) == (200, sorted(SIGNED_IN))


def test_a_signed_in_fragment_makes_no_banner_call(signed_in, upstream):
    status, calls = cold_page_calls(signed_in, upstream, "/catalog/?category=databases", HTTP_HX_REQUEST="true")
    assert (status, calls) == (200, sorted([*PUBLIC, "GET api /v1/features/container_sizes osc-fr1"]))
