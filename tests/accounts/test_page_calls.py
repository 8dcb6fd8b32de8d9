"""Each account page makes its known upstream calls, each once, in its one gather (the account
banner's user and invoices included: the page and the banner share the user read)."""

from __future__ import annotations

import pytest

from tests.helpers import cold_page_calls

pytestmark = pytest.mark.django_db(transaction=True)

BANNER = ["GET api /v1/account/invoices osc-fr1", "GET auth /v1/users/self"]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/profile/", BANNER),
        ("/ssh-keys/", [*BANNER, "GET auth /v1/keys"]),
        ("/api-tokens/", [*BANNER, "GET auth /v1/tokens"]),
        (
            "/authentication/",
            [
                "GET api /v1/account/invoices osc-fr1",
                "GET api /v1/apps osc-fr1",
                "GET api /v1/apps osc-secnum-fr1",
                "GET api /v1/events osc-fr1",
                "GET auth /v1/client/tfa",
                "GET auth /v1/regions",
                "GET auth /v1/users/self",
            ],
        ),
    ],
)
def test_each_account_page_makes_its_calls_once(signed_in, upstream, path, expected):
    assert cold_page_calls(signed_in, upstream, path) == (200, sorted(expected))


def test_an_htmx_fragment_makes_no_banner_call(signed_in, upstream):
    status, calls = cold_page_calls(signed_in, upstream, "/ssh-keys/", HTTP_HX_REQUEST="true")
    assert (status, calls) == (200, ["GET auth /v1/keys"])
