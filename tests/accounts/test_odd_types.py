"""Odd types in fields nobody needs to sign in must not stop sign-in or a page (issue 11 #3);
an unreadable answer in a field a page needs says so, not "cannot be reached"."""

from __future__ import annotations

import logging

import pytest

from tests.accounts.conftest import AUTH, REGIONAL
from tests.helpers import demo

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = ["/", "/profile/", "/authentication/", "/billing/", "/referrals/", "/catalog/"]


def _sign_in(client):
    return client.post("/signin/", {"method": "token", "api_token": demo("ordinary").api_token})


def test_it_signs_in_and_shows_every_page_despite_odd_types(upstream, client, sandbox_behaviour, caplog):
    sandbox_behaviour("user-odd-types")
    with caplog.at_level(logging.WARNING, logger="dashboard.upstream"):
        response = _sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/"
    for path in PAGES:
        page = client.get(path)
        html = page.content.decode()
        assert page.status_code == 200, path
        assert "could not read" not in html, path
        assert "cannot be reached" not in html, path
    profile = client.get("/profile/").content.decode()
    assert "demo-ordinary" in profile
    tolerated = {getattr(r, "field", None) for r in caplog.records if r.getMessage() == "upstream field tolerated"}
    assert {"user.referral_clicks", "user.flags", "user.limits", "user.free_trial_started_at"} <= tolerated
    assert "user.created_at" not in tolerated  # null is a documented blank, not an odd value


def test_it_logs_nothing_tolerated_with_documented_types(upstream, client, caplog):
    with caplog.at_level(logging.WARNING, logger="dashboard.upstream"):
        assert _sign_in(client).status_code == 302
        assert client.get("/profile/").status_code == 200
    assert [r for r in caplog.records if r.getMessage() == "upstream field tolerated"] == []
    assert "Apps you can create during the free trial" in client.get("/profile/").content.decode()


def test_it_says_the_answer_was_unreadable_when_sign_in_gets_one(upstream, client, fault):
    fault("malformed", f"{AUTH}/users/self")
    response = _sign_in(client)
    html = response.content.decode()
    assert response.status_code == 400
    assert "The platform sent an answer we could not read" in html
    assert "cannot be reached" not in html


def test_it_says_cannot_be_reached_only_when_the_platform_did_not_answer(upstream, client, fault):
    fault("500", f"{AUTH}/users/self")
    html = _sign_in(client).content.decode()
    assert "cannot be reached" in html
    assert "could not read" not in html


def test_it_says_the_catalog_answer_was_unreadable(upstream, client, fault):
    fault("malformed", f"{REGIONAL}/addon_providers")
    html = client.get("/catalog/").content.decode()
    assert "The platform sent an answer we could not read." in html
    assert "not answering" not in html
