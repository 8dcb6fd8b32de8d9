"""The activity page and its export make their known upstream calls, each once."""

from __future__ import annotations

import pytest

from tests.helpers import cold_page_calls

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_activity_page_makes_its_calls_once(signed_in, upstream):
    assert cold_page_calls(signed_in, upstream, "/activity/") == (
        200,
        ["GET api /v1/account/invoices osc-fr1", "GET api /v1/events osc-fr1", "GET auth /v1/users/self"],
    )


def test_the_export_reads_no_banner(signed_in, upstream):
    """A download has no layout: the user (its time zone) and the events only."""
    assert cold_page_calls(signed_in, upstream, "/activity/export.csv") == (
        200,
        ["GET api /v1/events osc-fr1", "GET auth /v1/users/self"],
    )
