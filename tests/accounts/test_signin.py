"""Sign-in, the OTP step, sign-out and the throttle, against the sandbox over HTTP."""

from __future__ import annotations

import time

import pyotp
import pytest

from accounts import session as account_session
from tests.helpers import demo

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_shows_the_signin_page_with_both_methods(client):
    response = client.get("/signin/")
    assert response.status_code == 200
    assert b"Email or username" in response.content
    assert b"API token" in response.content
    token_page = client.get("/signin/?method=token")
    assert b'name="api_token"' in token_page.content


def test_it_sends_anonymous_visitors_to_signin_with_next(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/signin/?next=%2F"


def test_it_answers_htmx_requests_without_a_session_with_hx_redirect(client):
    response = client.get("/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/billing/?page=2")
    assert response["HX-Redirect"] == "/signin/?next=%2Fbilling%2F%3Fpage%3D2"


def test_it_signs_in_with_an_api_token(upstream, client):
    account = demo("ordinary")
    response = client.post("/signin/", {"method": "token", "api_token": account.api_token, "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200
    assert account.username.encode() in page.content
    assert [c["route"] for c in upstream.calls(method="POST")] == ["/v1/tokens/exchange"]
    # The pasted token is kept (encrypted) but no token was created upstream.
    assert upstream.calls(route="/v1/tokens", method="POST") == []


def test_it_never_sends_the_token_back_to_the_browser(upstream, client):
    account = demo("ordinary")
    response = client.post("/signin/", {"method": "token", "api_token": account.api_token}, follow=True)
    assert account.api_token.encode() not in response.content
    stored = client.session[account_session.KEY]
    assert account.api_token not in str(stored), "the session keeps the token encrypted"
    assert account_session.api_token(client.session) == account.api_token


def test_it_rotates_the_session_id_at_signin(upstream, client):
    client.get("/signin/")
    client.session.save()
    before = client.cookies.get("dashboard_session")
    client.post("/signin/", {"method": "token", "api_token": demo("ordinary").api_token})
    after = client.cookies["dashboard_session"].value
    assert before is None or before.value != after


def test_it_handles_a_bad_token_with_a_clear_message(upstream, client):
    response = client.post("/signin/", {"method": "token", "api_token": "tk-us-" + "x" * 48})
    assert response.status_code == 400
    assert b"This API token was not accepted" in response.content
    assert b"tk-us-xxxx" not in response.content, "a secret is never echoed back"


def test_it_handles_a_malformed_token_locally(upstream, client):
    response = client.post("/signin/", {"method": "token", "api_token": "not a token"})
    assert response.status_code == 400
    assert b"An API token looks like" in response.content
    assert upstream.calls() == []


def test_it_signs_in_with_a_password_and_creates_a_named_token(upstream, client):
    account = demo("ordinary")
    response = client.post(
        "/signin/",
        {"method": "password", "login": account.email, "password": account.password, "next": "/billing/"},
        HTTP_USER_AGENT="Mozilla/5.0 Firefox/130.0",
    )
    assert response.status_code == 302
    assert response["Location"] == "/billing/"
    created = upstream.calls(route="/v1/tokens", method="POST")
    assert len(created) == 1
    current = account_session.account(client.session)
    assert current.created_token is True
    assert current.token_id


def test_it_keeps_the_login_but_not_the_password_after_a_wrong_password(upstream, client):
    response = client.post("/signin/", {"method": "password", "login": "demo-ordinary", "password": "wrong-password"})
    assert response.status_code == 400
    assert b"The email/username or the password is not right." in response.content
    assert b'value="demo-ordinary"' in response.content
    assert b"wrong-password" not in response.content


def test_it_asks_for_the_otp_then_signs_in(upstream, client):
    account = demo("twofa")
    response = client.post("/signin/", {"method": "password", "login": account.username, "password": account.password})
    assert response.status_code == 302
    assert response["Location"] == "/signin/code/"
    step = client.get("/signin/code/")
    assert b"Authentication code" in step.content
    assert account.password.encode() not in step.content

    wrong = client.post("/signin/code/", {"otp": "000000"})
    assert wrong.status_code == 400
    assert b"This code is not valid" in wrong.content

    code = pyotp.TOTP(account.totp_secret).now()
    done = client.post("/signin/code/", {"otp": code})
    assert done.status_code == 302
    assert done["Location"] == "/"
    assert account_session.account(client.session).username == account.username
    assert "signin_pending_otp" not in client.session


def test_it_expires_the_pending_otp_step(upstream, client):
    account = demo("twofa")
    client.post("/signin/", {"method": "password", "login": account.username, "password": account.password})
    session = client.session
    session["signin_pending_otp"]["until"] = time.time() - 1
    session.save()
    response = client.get("/signin/code/", follow=True)
    assert b"Please enter your email and password again." in response.content


def test_it_signs_out_and_revokes_the_token_it_created(upstream, client):
    account = demo("ordinary")
    client.post("/signin/", {"method": "password", "login": account.email, "password": account.password})
    token_id = account_session.account(client.session).token_id
    upstream.clear()
    response = client.post("/signout/")
    assert response.status_code == 302
    deletes = upstream.calls(method="DELETE")
    assert [c["route"] for c in deletes] == ["/v1/tokens/:id"]
    assert token_id in deletes[0]["path"]
    assert account_session.KEY not in client.session
    assert client.get("/").status_code == 302


def test_it_signs_out_without_revoking_a_pasted_token(upstream, client):
    client.post("/signin/", {"method": "token", "api_token": demo("ordinary").api_token})
    upstream.clear()
    client.post("/signout/")
    assert upstream.calls(method="DELETE") == []


def test_it_refuses_signout_by_get(upstream, client):
    assert client.get("/signout/").status_code == 405


def test_it_handles_an_unreachable_upstream_on_signin(client, settings):
    settings.SCALINGO_AUTH_URL = "http://127.0.0.1:9"
    response = client.post("/signin/", {"method": "password", "login": "someone", "password": "pw"})
    assert response.status_code == 400
    assert b"cannot be reached right now" in response.content
    assert b'value="someone"' in response.content


def test_it_handles_a_rate_limited_upstream_on_signin(upstream, client):
    from sandbox import faults

    faults.configure(forced="429")
    response = client.post("/signin/", {"method": "token", "api_token": demo("ordinary").api_token})
    assert response.status_code == 400
    assert b"too many requests" in response.content


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_it_never_redirects_off_site_after_signin(upstream, client, target):
    response = client.post("/signin/", {"method": "token", "api_token": demo("ordinary").api_token, "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_throttles_repeated_failures_per_identity(upstream, client, settings):
    settings.SIGNIN_THROTTLE_ATTEMPTS = 3
    for _ in range(3):
        client.post("/signin/", {"method": "password", "login": "demo-ordinary", "password": "nope"})
    upstream.clear()
    blocked = client.post(
        "/signin/", {"method": "password", "login": "demo-ordinary", "password": demo("ordinary").password}
    )
    assert blocked.status_code == 429
    assert b"Too many sign-in attempts" in blocked.content
    assert upstream.calls() == [], "a throttled attempt never reaches the upstream"


def test_it_throttles_unknown_identities_the_same_way(upstream, client, settings):
    settings.SIGNIN_THROTTLE_ATTEMPTS = 2
    answers = {}
    for n, login in enumerate(("demo-ordinary", "no-such-user-anywhere")):
        ip = f"10.0.0.{n + 1}"
        first = client.post("/signin/", {"method": "password", "login": login, "password": "nope"}, REMOTE_ADDR=ip)
        client.post("/signin/", {"method": "password", "login": login, "password": "nope"}, REMOTE_ADDR=f"10.1.0.{n}")
        third = client.post(
            "/signin/", {"method": "password", "login": login, "password": "nope"}, REMOTE_ADDR=f"10.2.0.{n}"
        )
        answers[login] = (first, third)
    (known_first, known_blocked), (unknown_first, unknown_blocked) = answers.values()
    assert known_first.status_code == unknown_first.status_code == 400
    assert b"The email/username or the password is not right." in known_first.content
    assert b"The email/username or the password is not right." in unknown_first.content
    assert known_blocked.status_code == unknown_blocked.status_code == 429
    assert b"Too many sign-in attempts" in known_blocked.content
    assert b"Too many sign-in attempts" in unknown_blocked.content


def test_it_throttles_per_client_ip(upstream, client, settings):
    settings.SIGNIN_THROTTLE_ATTEMPTS = 3
    for n in range(3):
        client.post("/signin/", {"method": "password", "login": f"user-{n}", "password": "nope"})
    blocked = client.post("/signin/", {"method": "password", "login": "another-user", "password": "nope"})
    assert blocked.status_code == 429
    other_ip = client.post(
        "/signin/", {"method": "password", "login": "another-user", "password": "nope"}, REMOTE_ADDR="10.9.8.7"
    )
    assert other_ip.status_code == 400


def test_it_applies_the_preferences_kept_upstream_at_signin(upstream, client):
    from django.test import Client

    account = demo("ordinary")
    client.post("/signin/", {"method": "token", "api_token": account.api_token})
    saved = client.post("/profile/preferences/", {"language": "fr", "theme": "dark"})
    assert saved.status_code == 302

    other_browser = Client()
    response = other_browser.post(
        "/signin/", {"method": "password", "login": account.email, "password": account.password}
    )
    assert response.status_code == 302
    assert response.cookies["dashboard_language"].value == "fr"
    assert response.cookies["dashboard_theme"].value == "dark"
    page = other_browser.get("/")
    assert b'lang="fr"' in page.content
    assert b'data-theme="dark"' in page.content
    assert "Vous êtes connecté." in page.content.decode()  # said in the language of the page
    assert "You are signed in." not in page.content.decode()


def test_wrong_tokens_from_one_address_do_not_block_another_address(upstream, client, settings):
    from django.test import Client

    settings.SIGNIN_THROTTLE_ATTEMPTS = 10
    for n in range(10):
        wrong = client.post(
            "/signin/", {"method": "token", "api_token": f"tk-us-wrong-token-number-{n:02d}"}, REMOTE_ADDR="10.0.0.66"
        )
        assert wrong.status_code == 400
    blocked = client.post(
        "/signin/", {"method": "token", "api_token": demo("ordinary").api_token}, REMOTE_ADDR="10.0.0.66"
    )
    assert blocked.status_code == 429
    assert b"Too many sign-in attempts" in blocked.content
    upstream.clear()
    someone_else = Client().post(
        "/signin/", {"method": "token", "api_token": demo("teamadmin").api_token}, REMOTE_ADDR="10.0.0.7"
    )
    assert someone_else.status_code == 302
    assert len(upstream.calls(route="/v1/tokens/exchange")) == 1


def test_it_throttles_one_token_tried_from_many_addresses(upstream, client, settings):
    settings.SIGNIN_THROTTLE_ATTEMPTS = 3
    for n in range(3):
        client.post(
            "/signin/", {"method": "token", "api_token": "tk-us-the-same-wrong-token"}, REMOTE_ADDR=f"10.3.0.{n}"
        )
    upstream.clear()
    again = client.post(
        "/signin/", {"method": "token", "api_token": "tk-us-the-same-wrong-token"}, REMOTE_ADDR="10.3.1.1"
    )
    assert again.status_code == 429
    assert upstream.calls() == []
    other = client.post(
        "/signin/", {"method": "token", "api_token": demo("ordinary").api_token}, REMOTE_ADDR="10.3.1.2"
    )
    assert other.status_code == 302


def test_a_language_and_theme_chosen_before_sign_in_survive_it(upstream, client):
    """The account never chose (the platform answers its defaults, en and light); the person chose
    French and dark in the footer before signing in."""
    chosen = client.post("/i18n/language/", {"language": "fr", "next": "/signin/"})
    assert chosen.status_code == 302
    client.post("/preferences/theme/", {"theme": "dark", "next": "/signin/"})
    response = client.post("/signin/", {"method": "token", "api_token": demo("ordinary").api_token})
    assert response.status_code == 302
    assert "dashboard_language" not in response.cookies
    assert "dashboard_theme" not in response.cookies
    page = client.get("/").content.decode()
    assert 'lang="fr"' in page and 'data-theme="dark"' in page
    assert 'lang="en"' not in page and 'data-theme="light"' not in page


def test_a_reused_recovery_code_gets_its_own_message(upstream, client):
    from django.test import Client

    from sandbox.demo import TWOFA_RECOVERY_CODES

    account = demo("twofa")
    code = TWOFA_RECOVERY_CODES[0]
    client.post("/signin/", {"method": "password", "login": account.username, "password": account.password})
    first = client.post("/signin/code/", {"otp": code})
    assert first.status_code == 302, "a recovery code works once"
    client.post("/signout/")

    again = Client()
    again.post("/signin/", {"method": "password", "login": account.username, "password": account.password})
    reused = again.post("/signin/code/", {"otp": code})
    html = reused.content.decode()
    assert reused.status_code == 400
    assert "This recovery code is not valid, or it was already used: each recovery code works once." in html
    assert "Codes change every 30 seconds" not in html

    wrong_totp = again.post("/signin/code/", {"otp": "000000"})
    assert "Codes change every 30 seconds: try the current one." in wrong_totp.content.decode()


def test_a_browser_that_chose_its_language_is_told_in_it(upstream, client):
    """The account keeps French upstream, but this browser chose English in the footer: English."""
    from django.test import Client

    account = demo("ordinary")
    client.post("/signin/", {"method": "token", "api_token": account.api_token})
    client.post("/profile/preferences/", {"language": "fr", "theme": "dark"})
    english = Client()
    english.cookies["dashboard_language"] = "en"
    english.post("/signin/", {"method": "token", "api_token": account.api_token})
    page = english.get("/").content.decode()
    assert 'lang="en"' in page
    assert "You are signed in." in page and "Vous êtes connecté." not in page
