"""The referrals page makes its known upstream calls, each once."""

from __future__ import annotations

import pytest

from tests.helpers import cold_page_calls

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_referrals_page_makes_its_calls_once(signed_in, upstream):
    assert cold_page_calls(signed_in, upstream, "/referrals/") == (
        200,
        [
            "GET api /v1/account/invoices osc-fr1",
            "GET api /v1/account/referrals/stats osc-fr1",
            "GET auth /v1/users/self",
        ],
    )
