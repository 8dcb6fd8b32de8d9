"""Two people signed in at once never see each other's data, cached pages included."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import sign_in
from tests.helpers import demo, nav_paths

pytestmark = pytest.mark.django_db(transaction=True)


def _identity_marks(key: str) -> list[str]:
    account = demo(key)
    return [account.username, account.email]


def test_it_never_serves_one_users_pages_to_another(upstream):
    alice = sign_in(Client(), "ordinary")
    bob = sign_in(Client(), "teamadmin")
    seen: dict[str, list[str]] = {"ordinary": [], "teamadmin": []}
    for _round in range(2):  # the second round is served from the caches
        for path in nav_paths():
            for key, client in (("ordinary", alice), ("teamadmin", bob)):
                for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
                    response = client.get(path, **headers)
                    assert response.status_code in (200, 302), (path, response.status_code)
                    seen[key].append(response.content.decode())
    leaks = []
    for viewer, other in (("ordinary", "teamadmin"), ("teamadmin", "ordinary")):
        for mark in _identity_marks(other):
            if any(mark in html for html in seen[viewer]):
                leaks.append(f"{viewer} saw {other}'s {mark}")
    assert leaks == []
    assert any(demo("ordinary").username in html for html in seen["ordinary"])
    assert any(demo("teamadmin").username in html for html in seen["teamadmin"])


def test_it_keeps_account_only_sizes_to_their_account(upstream):
    catalog = reverse("catalog:catalog")
    admin = sign_in(Client(), "teamadmin")
    ordinary = sign_in(Client(), "ordinary")
    anonymous = Client()
    admin_page = admin.get(catalog).content.decode()
    assert "3XL" in admin_page
    for other in (ordinary, anonymous, admin):
        if other is admin:
            continue
        assert "3XL" not in other.get(catalog).content.decode()
    assert "3XL" in admin.get(catalog).content.decode()
