"""The platform's regions are read once per process, not once per page."""

from __future__ import annotations

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_reads_the_regions_once_for_every_page_and_user(signed_in, upstream):
    signed_in.get("/usage/")
    signed_in.get("/authentication/")
    cache.clear()  # even with every per-user read gone
    signed_in.get("/usage/")
    assert len(upstream.calls(route="/v1/regions")) == 1
    assert len(upstream.calls(route="/v1/account/usage")) >= 4, "both regions, twice"
