"""The platform's regions are read once for everyone (`public:regions`), not once per page or user."""

from __future__ import annotations

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db(transaction=True)


def _forget_every_users_reads() -> None:
    """Every per-user read (``user:<id>:<name>``) goes; the public ones (``public:<name>``) stay."""
    stored = [k.split(":", 2)[2] for k in cache._cache]  # LocMemCache keys: ":<version>:<key>"
    cache.delete_many([k for k in stored if k.startswith("user:")])


def test_it_reads_the_regions_once_for_every_page_and_user(signed_in, upstream):
    signed_in.get("/usage/")
    signed_in.get("/authentication/")
    _forget_every_users_reads()  # even with every per-user read gone
    signed_in.get("/usage/")
    assert len(upstream.calls(route="/v1/regions")) == 1
    assert len(upstream.calls(route="/v1/account/usage")) >= 4, "both regions, twice"
