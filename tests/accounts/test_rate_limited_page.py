"""The page a person gets when the platform answers 429: what happened, and the wait it gave."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.accounts.conftest import AUTH

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("retry_after", [False, True])
def test_the_429_page_states_the_wait_the_platform_gave(signed_in, upstream, fault, sandbox_behaviour, retry_after):
    if retry_after:
        sandbox_behaviour("rate-limit-retry-after")  # the sandbox's forced 429 then says 30 s
    cache.clear()  # the user read at sign-in is reused for a few seconds
    fault("429", f"{AUTH}/users/self")
    response = signed_in.get("/profile/")
    html = response.content.decode()
    assert response.status_code == 429
    assert "<title>Too many requests to the platform · " in html
    assert "too many requests from this account" in html
    assert "60 requests a minute" not in html
    if retry_after:
        assert response["Retry-After"] == "30"
        assert "It asked to wait 30 seconds before trying again." in html
        assert "did not say how long" not in html
    else:
        assert response["Retry-After"] == "60"
        assert "It did not say how long to wait: try again in a minute." in html


def test_the_429_fragment_for_htmx_says_the_wait_too(signed_in, upstream, fault, sandbox_behaviour):
    sandbox_behaviour("rate-limit-retry-after")
    cache.clear()
    fault("429", f"{AUTH}/users/self")
    response = signed_in.get("/profile/", HTTP_HX_REQUEST="true")
    assert response.status_code == 429
    assert response["Retry-After"] == "30"
    assert "<html" not in response.content.decode()
    assert "It asked to wait 30 seconds" in response.content.decode()


def test_a_form_says_the_wait_the_platform_gave(signed_in, upstream, fault, sandbox_behaviour):
    sandbox_behaviour("rate-limit-retry-after")
    fault("429", f"{AUTH}/users/account")
    response = signed_in.post("/profile/fields/fullname/", {"fullname": "Ada"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "It asked to wait 30 seconds: try again then." in html
    assert 'value="Ada"' in html


def test_the_429_page_in_french(signed_in, upstream, fault, sandbox_behaviour):
    sandbox_behaviour("rate-limit-retry-after")
    cache.clear()
    fault("429", f"{AUTH}/users/self")
    signed_in.cookies["dashboard_language"] = "fr"
    html = signed_in.get("/profile/").content.decode()
    assert "Trop de requêtes envoyées à la plateforme" in html
    assert "Elle demande d’attendre 30 secondes avant de réessayer." in html
