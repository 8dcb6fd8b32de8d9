"""The signed-in session: bearer reuse and refresh, 401 handling, time-outs, encryption."""

from __future__ import annotations

import time

import pytest
from cryptography.fernet import Fernet
from django.core.cache import cache

from accounts import session as account_session
from tests.helpers import demo

pytestmark = pytest.mark.django_db(transaction=True)


def _bearer_exp(client) -> float:
    return client.session[account_session.KEY]["bearer_exp"]


def test_it_reuses_the_bearer_until_near_its_expiry(signed_in, upstream):
    signed_in.get("/")
    signed_in.get("/")
    assert upstream.calls(route="/v1/tokens/exchange") == []


def test_it_exchanges_again_five_minutes_before_exp(signed_in, upstream):
    session = signed_in.session
    session[account_session.KEY]["bearer_exp"] = time.time() + 240
    session.save()
    cache.clear()  # the user read at sign-in is cached; make the page ask the upstream
    response = signed_in.get("/")
    assert response.status_code == 200
    assert len(upstream.calls(route="/v1/tokens/exchange")) == 1
    assert _bearer_exp(signed_in) > time.time() + 3000


def test_it_reexchanges_once_when_the_bearer_is_refused(signed_in, upstream):
    session = signed_in.session
    session[account_session.KEY]["bearer"] = account_session.encrypt("not-a-valid-bearer")
    session.save()
    cache.clear()  # the user read at sign-in is cached; make the page ask the upstream
    response = signed_in.get("/")
    assert response.status_code == 200
    assert len(upstream.calls(route="/v1/tokens/exchange")) == 1
    assert [c["status"] for c in upstream.calls(route="/v1/users/self")] == [401, 200]


def test_it_ends_the_session_when_the_token_was_revoked(upstream, client):
    account = demo("ordinary")
    client.post("/signin/", {"method": "password", "login": account.email, "password": account.password})
    # The token was revoked elsewhere (another browser, the CLI...) and the bearer has expired.
    session = client.session
    session[account_session.KEY]["bearer"] = account_session.encrypt("expired")
    session[account_session.KEY]["api_token"] = account_session.encrypt("tk-us-" + "r" * 48)
    session.save()
    cache.clear()  # the user read at sign-in is cached; make the page ask the upstream
    response = client.get("/?tab=x")
    assert response.status_code == 302
    assert response["Location"] == "/signin/?next=%2F%3Ftab%3Dx"
    follow = client.get(response["Location"])
    assert b"Your session has ended. Please sign in again." in follow.content
    assert account_session.KEY not in client.session


def test_it_answers_htmx_with_hx_redirect_when_the_session_ends(signed_in, upstream):
    session = signed_in.session
    session[account_session.KEY]["bearer"] = account_session.encrypt("expired")
    session[account_session.KEY]["api_token"] = account_session.encrypt("tk-us-" + "r" * 48)
    session.save()
    cache.clear()  # the user read at sign-in is cached; make the page ask the upstream
    response = signed_in.get("/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/")
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/signin/?next=%2F"
    assert b"<html" not in response.content


def test_it_times_out_an_idle_session(signed_in, upstream, settings):
    session = signed_in.session
    session[account_session.KEY]["last_seen"] = time.time() - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    cache.clear()  # the user read at sign-in is cached; make the page ask the upstream
    response = signed_in.get("/")
    assert response.status_code == 302
    follow = signed_in.get(response["Location"])
    assert b"Your session expired" in follow.content


def test_it_times_out_a_session_after_its_total_lifetime(signed_in, upstream, settings):
    session = signed_in.session
    session[account_session.KEY]["signed_in_at"] = time.time() - settings.SESSION_ABSOLUTE_TIMEOUT - 5
    session.save()
    cache.clear()  # the user read at sign-in is cached; make the page ask the upstream
    assert signed_in.get("/").status_code == 302


def test_it_reads_secrets_after_a_key_rotation(settings):
    old_key = Fernet.generate_key().decode()
    settings.SESSION_ENCRYPTION_KEYS = [old_key]
    sealed = account_session.encrypt("tk-us-secret")
    settings.SESSION_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]
    assert account_session.decrypt(sealed) == "tk-us-secret"
    assert "tk-us-secret" not in sealed


def test_it_ends_the_session_when_its_key_was_dropped(settings):
    from dashboard.upstream import errors

    settings.SESSION_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    sealed = account_session.encrypt("tk-us-secret")
    settings.SESSION_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(errors.Unauthorized):
        account_session.decrypt(sealed)


def test_it_exchanges_once_when_parallel_parts_find_the_bearer_refused(signed_in, upstream):
    from concurrent.futures import ThreadPoolExecutor

    from dashboard.upstream import users

    session = signed_in.session
    session[account_session.KEY]["bearer"] = account_session.encrypt("refused-bearer")
    session.save()
    session = signed_in.session
    auth = account_session.SessionAuth(session)
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(lambda _: users.user_self(auth=account_session.SessionAuth(session)).username, range(4)))
    assert set(found) == {"demo-ordinary"}
    assert len(upstream.calls(route="/v1/tokens/exchange")) == 1
    assert auth.bearer() != "refused-bearer"
