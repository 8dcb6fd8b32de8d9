"""API tokens page: list marking this session's token, create, renew, delete; secrets shown once."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tests.accounts.conftest import AUTH, FAILURE_TEXT, plain_status, revoke_tokens

pytestmark = pytest.mark.django_db(transaction=True)


def _tokens(username: str):
    from sandbox.models import ApiToken

    return list(ApiToken.objects.filter(user__username=username).order_by("created_at"))


def _session_token(username: str, secret: str):
    from sandbox.auth import token_by_secret

    token = token_by_secret(secret)
    assert token is not None and token.user.username == username
    return token


def _demo_secret(key: str) -> str:
    from sandbox.demo import demo_account

    return demo_account(key).api_token


def _secret_in(html: str) -> str:
    match = re.search(r'<code id="token-secret">(tk-us-[^<]+)</code>', html)
    assert match, html
    return match.group(1)


def _password_session_token(client):
    from accounts.session import account

    token_id = account(client.session).token_id
    assert token_id
    return next(t for t in _tokens("demo-ordinary") if t.id == token_id)


def test_it_shows_the_tokens_and_marks_this_sessions_own(signed_in_with_password, upstream):
    response = signed_in_with_password.get("/api-tokens/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    for token in _tokens("demo-ordinary"):
        assert token.name in html
    own = _password_session_token(signed_in_with_password)
    row = re.search(rf'<tr id="token-{own.id}" class="session-token">.*?</tr>', html, re.S)
    assert row and "This session" in row.group(0)
    assert html.count("This session") == 1
    assert "developers.scalingo.com" in html


def test_it_does_not_guess_the_token_of_a_pasted_token_session(signed_in, upstream):
    """The mark comes from the id the dashboard got when it created the token, never from the
    bearer's claims (the sandbox's ``tid`` is not part of the platform's contract)."""
    html = signed_in.get("/api-tokens/").content.decode()
    assert 'badge-info">This session' not in html
    assert 'class="session-token"' not in html
    assert "signed in with a pasted token" in html


def test_it_names_each_sign_in_token_so_they_can_be_told_apart(upstream, client):
    import time_machine

    from tests.accounts.conftest import password_sign_in

    firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
    chrome = (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0 Safari/537.36"
    )
    with time_machine.travel(datetime(2026, 12, 1, 8, 5, tzinfo=UTC), tick=False):
        password_sign_in(client, user_agent=firefox)
        client.post("/signout/")
    with time_machine.travel(datetime(2026, 12, 1, 9, 40, tzinfo=UTC), tick=False):
        password_sign_in(client, user_agent=chrome)
        html = client.get("/api-tokens/").content.decode()
    names = [t.name for t in _tokens("demo-ordinary") if t.name.startswith("Dashboard")]
    assert names == ["Dashboard - testserver - Chrome on macOS - 2026-12-01 10:40 CET"]
    row = re.search(r'<tr id="token-[^"]+" class="session-token">.*?</tr>', html, re.S)
    assert row and "Dashboard - testserver - Chrome on macOS - 2026-12-01 10:40 CET" in row.group(0)


def test_a_second_sign_in_within_the_cache_time_sees_its_own_token(upstream, client):
    """Signing in twice within 30 s: the second session's list must hold the token its sign-in
    created, although the first session's read of the list is still cached."""
    from django.test import Client

    from tests.accounts.conftest import password_sign_in

    password_sign_in(client)
    first_html = client.get("/api-tokens/").content.decode()
    assert first_html.count("<strong>Dashboard - testserver") == 1
    second = Client()
    password_sign_in(second)
    html = second.get("/api-tokens/").content.decode()
    own = _password_session_token(second)
    assert re.search(rf'<tr id="token-{own.id}" class="session-token">', html)
    assert html.count("<strong>Dashboard - testserver") == 2
    # The first session signs out: its token is revoked, and the second session's list says so.
    first_id = _password_session_token(client).id
    client.post("/signout/")
    html = second.get("/api-tokens/").content.decode()
    assert f'id="token-{first_id}"' not in html
    assert html.count("<strong>Dashboard - testserver") == 1


def test_it_shows_only_the_tokens_fragment_for_htmx(signed_in, upstream):
    html = signed_in.get("/api-tokens/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html
    assert 'id="tokens"' in html


def test_it_creates_a_token_and_shows_its_secret_once(signed_in, upstream):
    response = signed_in.post("/api-tokens/create/", {"name": "CI deploys"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    secret = _secret_in(html)
    assert "it will not be shown again" in html
    assert "no-store" in response["Cache-Control"]
    assert secret not in signed_in.get("/api-tokens/").content.decode()
    assert secret not in str(dict(signed_in.session))


def test_it_creates_a_token_without_js(signed_in, upstream):
    response = signed_in.post("/api-tokens/create/", {"name": "Script"})
    assert response.status_code == 200
    assert "<html" in response.content.decode()
    _secret_in(response.content.decode())


def test_it_handles_a_blank_name(signed_in, upstream):
    response = signed_in.post("/api-tokens/create/", {"name": ""}, HTTP_HX_REQUEST="true")
    assert "This field is required." in response.content.decode()
    assert upstream.calls(route="/v1/tokens", method="POST") == []


def test_it_handles_a_422_from_the_upstream(signed_in, upstream, monkeypatch):
    from dashboard.upstream import errors

    def refuse(**kwargs):
        raise errors.ValidationFailed({"name": ["is too long"]})

    monkeypatch.setattr("dashboard.upstream.tokens.token_create", refuse)
    response = signed_in.post("/api-tokens/create/", {"name": "Script"}, HTTP_HX_REQUEST="true")
    assert "This is too long. Shorten it." in response.content.decode()
    assert "Is too long." not in response.content.decode()
    assert 'value="Script"' in response.content.decode()


@pytest.mark.parametrize("kind", ["404", "409", "429", "500", "timeout", "malformed"])
def test_it_handles_upstream_failures_on_create(signed_in, upstream, failing, kind):
    failing("dashboard.upstream.tokens.token_create", kind)
    htmx = signed_in.post("/api-tokens/create/", {"name": "Script"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200
    assert FAILURE_TEXT[kind] in htmx.content.decode().lower()
    assert signed_in.post("/api-tokens/create/", {"name": "Script"}).status_code == plain_status(kind)


def test_it_confirms_before_renewing(signed_in_with_password, upstream):
    signed_in = signed_in_with_password
    own = _password_session_token(signed_in)
    other = next(t for t in _tokens("demo-ordinary") if t.id != own.id)
    response = signed_in.get(f"/api-tokens/{other.id}/renew/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert f"Renew the token “{other.name}”?" in html
    assert "signed in with" not in html
    assert upstream.calls(route="/v1/tokens/:id/renew") == []


def test_it_renews_a_token_and_says_the_old_one_is_dead(signed_in, upstream):
    own = _session_token("demo-ordinary", _demo_secret("ordinary"))
    other = next(t for t in _tokens("demo-ordinary") if t.id != own.id)
    response = signed_in.post(f"/api-tokens/{other.id}/renew/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "The old secret is dead" in html
    _secret_in(html)
    assert len(upstream.calls(route="/v1/tokens/:id/renew", method="PATCH")) == 1


def test_it_renews_the_sessions_own_token_and_stays_signed_in(signed_in_with_password, upstream):
    client = signed_in_with_password
    own = _password_session_token(client)
    confirm = client.get(f"/api-tokens/{own.id}/renew/").content.decode()
    assert "This is the token this session signed in with" in confirm
    response = client.post(f"/api-tokens/{own.id}/renew/")
    assert response.status_code == 200
    new_secret = _secret_in(response.content.decode())
    from accounts.session import api_token

    assert api_token(client.session) == new_secret
    assert client.get("/api-tokens/").status_code == 200  # the session still works
    assert "This session" in client.get("/api-tokens/").content.decode()


def test_it_renews_a_pasted_sessions_own_token_and_stays_signed_in(signed_in, upstream):
    own = _session_token("demo-ordinary", _demo_secret("ordinary"))
    response = signed_in.post(f"/api-tokens/{own.id}/renew/")
    new_secret = _secret_in(response.content.decode())
    from accounts.session import api_token

    assert api_token(signed_in.session) == new_secret
    assert signed_in.get("/api-tokens/").status_code == 200


def test_it_warns_before_deleting_the_sessions_own_token(signed_in_with_password, upstream):
    own = _password_session_token(signed_in_with_password)
    html = signed_in_with_password.get(f"/api-tokens/{own.id}/delete/", HTTP_HX_REQUEST="true").content.decode()
    assert "deleting it signs you out" in html


def test_it_deletes_the_sessions_own_token_and_ends_the_session(signed_in_with_password, upstream):
    own = _password_session_token(signed_in_with_password)
    response = signed_in_with_password.post(f"/api-tokens/{own.id}/delete/", HTTP_HX_REQUEST="true")
    assert response.headers["HX-Redirect"].startswith("/signin/")
    assert signed_in_with_password.get("/api-tokens/").status_code == 302


def test_it_deletes_a_pasted_sessions_own_token_and_ends_the_session(signed_in, upstream):
    own = _session_token("demo-ordinary", _demo_secret("ordinary"))
    response = signed_in.post(f"/api-tokens/{own.id}/delete/", HTTP_HX_REQUEST="true")
    assert response.headers["HX-Redirect"].startswith("/signin/")
    assert signed_in.get("/api-tokens/").status_code == 302


def test_it_deletes_another_token(signed_in, upstream):
    own = _session_token("demo-ordinary", _demo_secret("ordinary"))
    other = next(t for t in _tokens("demo-ordinary") if t.id != own.id)
    response = signed_in.post(f"/api-tokens/{other.id}/delete/")
    assert response.status_code == 302
    html = signed_in.get("/api-tokens/").content.decode()
    assert f"API token “{other.name}” deleted." in html
    assert f'id="token-{other.id}"' not in html


def test_it_handles_a_token_that_is_already_gone(signed_in, upstream):
    response = signed_in.post("/api-tokens/00000000-0000-0000-0000-000000000000/renew/", HTTP_HX_REQUEST="true")
    assert "already gone" in response.content.decode()


@pytest.mark.parametrize("kind", ["404", "409", "429", "500", "timeout"])
def test_it_handles_upstream_failures_on_renew_and_delete(signed_in, upstream, failing, kind):
    own = _session_token("demo-ordinary", _demo_secret("ordinary"))
    other = next(t for t in _tokens("demo-ordinary") if t.id != own.id)
    failing("dashboard.upstream.tokens.token_renew", kind)
    failing("dashboard.upstream.tokens.token_delete", kind)
    for action in ("renew", "delete"):
        htmx = signed_in.post(f"/api-tokens/{other.id}/{action}/", HTTP_HX_REQUEST="true")
        assert htmx.status_code == 200
        html = htmx.content.decode()
        if kind == "404":
            assert "already gone" in html
            continue
        assert FAILURE_TEXT[kind] in html.lower()
        assert f"“{other.name}”?" in html
        assert signed_in.post(f"/api-tokens/{other.id}/{action}/").status_code == plain_status(kind)


def test_it_handles_a_failing_list(signed_in, upstream, fault):
    fault("429", f"{AUTH}/tokens")
    response = signed_in.get("/api-tokens/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Too many requests" in response.content.decode()


def test_it_handles_a_401(signed_in, upstream):
    revoke_tokens("demo-ordinary")
    response = signed_in.get("/api-tokens/", HTTP_HX_REQUEST="true")
    assert response.headers["HX-Redirect"].startswith("/signin/")


def test_it_shows_the_tokens_page_in_french(signed_in, upstream):
    signed_in.cookies["dashboard_language"] = "fr"
    assert "Créer un jeton" in signed_in.get("/api-tokens/").content.decode()


def test_it_never_logs_a_secret(signed_in, upstream, caplog):
    caplog.set_level("DEBUG")
    response = signed_in.post("/api-tokens/create/", {"name": "Logged?"})
    secret = _secret_in(response.content.decode())
    enrol = signed_in.post("/authentication/2fa/enable/", HTTP_HX_REQUEST="true").content.decode()
    tfa_secret = re.search(r'<code id="tfa-secret">([A-Z2-7 ]+)</code>', enrol).group(1).replace(" ", "")
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "API token created" in logged
    assert "2FA enrolment started" in logged
    assert secret not in logged
    assert tfa_secret not in logged
