"""Authentication page: email, password, 2FA, and account deletion."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pyotp
import pytest

from tests.accounts.conftest import AUTH, FAILURE_TEXT, plain_status, revoke_tokens

pytestmark = pytest.mark.django_db(transaction=True)


def _secret(html: str) -> str:
    match = re.search(r'<code id="tfa-secret">([A-Z2-7 ]+)</code>', html)
    assert match, html
    return match.group(1).replace(" ", "")


def test_it_shows_the_authentication_page(signed_in, upstream):
    response = signed_in.get("/authentication/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert "ordinary@demo.sandbox.test" in html
    assert "Change password" in html
    assert "Set up 2FA" in html
    assert len(upstream.calls(route="/v1/regions", method="GET")) == 1
    assert {c["region"] for c in upstream.calls(route="/v1/apps", method="GET")} == {"osc-fr1", "osc-secnum-fr1"}


PASSWORD = "demo-ordinary-password"


def _email_on_the_platform(username: str) -> str:
    from sandbox.models import User

    return User.objects.get(username=username).email


def test_it_edits_the_email_in_place(signed_in, upstream):
    response = signed_in.post(
        "/profile/fields/email/",
        {"email": "new@demo.sandbox.test", "current_password": PASSWORD, "page": "authentication"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "new@demo.sandbox.test" in html
    assert "Email saved." in html
    assert PASSWORD not in html
    plain = signed_in.post(
        "/profile/fields/email/",
        {"email": "newer@demo.sandbox.test", "current_password": PASSWORD, "page": "authentication"},
    )
    assert plain["Location"] == "/authentication/#field-email"
    assert _email_on_the_platform("demo-ordinary") == "newer@demo.sandbox.test"


def test_it_asks_for_the_current_password_before_changing_the_email(signed_in, upstream):
    form = signed_in.get("/profile/fields/email/?edit=1&page=authentication", HTTP_HX_REQUEST="true")
    assert 'name="current_password"' in form.content.decode()
    assert 'autocomplete="current-password"' in form.content.decode()
    page = signed_in.get("/authentication/?edit=email").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "two forms on one page, each id once"
    assert 'for="id_email_current_password"' in page and 'for="id_current_password"' in page
    data = {"email": "stolen@attacker.test", "page": "authentication"}
    response = signed_in.post("/profile/fields/email/", data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="id_email_current_password_errors"' in html
    assert "This field is required." in html
    assert 'value="stolen@attacker.test"' in html  # what was typed stays
    assert "Email saved." not in html
    assert upstream.calls(route="/v1/users/account") == []
    assert _email_on_the_platform("demo-ordinary") == "ordinary@demo.sandbox.test"


@pytest.mark.parametrize("variant", ["422", "401"])
def test_it_refuses_an_email_change_with_a_wrong_password(signed_in, upstream, sandbox_behaviour, variant):
    if variant == "401":
        sandbox_behaviour("wrong-password-401")
    data = {"email": "new@demo.sandbox.test", "current_password": "not-the-password", "page": "authentication"}
    response = signed_in.post("/profile/fields/email/", data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "HX-Redirect" not in response
    assert "The current password is not right." in html
    assert 'value="new@demo.sandbox.test"' in html
    assert "not-the-password" not in html
    assert "Email saved." not in html
    assert [c["status"] for c in upstream.calls(route="/v1/users/account")] == (
        [422] if variant == "422" else [401, 401]
    )
    assert _email_on_the_platform("demo-ordinary") == "ordinary@demo.sandbox.test"
    # Still signed in: the session was not the problem.
    assert signed_in.get("/authentication/").status_code == 200


def test_a_github_account_cannot_change_its_email_without_a_password(signed_in_as, upstream):
    client = signed_in_as("github")
    form = client.get("/profile/fields/email/?edit=1&page=authentication", HTTP_HX_REQUEST="true").content.decode()
    assert "has no password to confirm a new email with" in form
    assert 'name="current_password"' not in form
    response = client.post(
        "/profile/fields/email/", {"email": "new@demo.sandbox.test", "page": "authentication"}, HTTP_HX_REQUEST="true"
    )
    assert "has no password to confirm a new email with" in response.content.decode()
    assert upstream.calls(route="/v1/users/account") == []
    assert _email_on_the_platform("demo-github") == "github@demo.sandbox.test"


def test_it_handles_a_taken_email(signed_in, upstream):
    data = {"email": "twofa@demo.sandbox.test", "current_password": PASSWORD, "page": "authentication"}
    response = signed_in.post("/profile/fields/email/", data, HTTP_HX_REQUEST="true")
    assert "This email is already used by another account. Use another one." in response.content.decode()
    assert 'value="twofa@demo.sandbox.test"' in response.content.decode()
    plain = signed_in.post("/profile/fields/email/", data)
    assert plain.status_code == 400
    assert "Authentication" in plain.content.decode()
    assert "This email is already used by another account. Use another one." in plain.content.decode()


def test_it_changes_the_password(signed_in, upstream):
    data = {
        "current_password": "demo-ordinary-password",
        "new_password": "correct horse battery staple",
        "new_password_confirmation": "correct horse battery staple",
    }
    response = signed_in.post("/authentication/password/", data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Your password was changed." in html
    assert "correct horse" not in html
    assert (
        signed_in.post(
            "/authentication/password/",
            {
                **data,
                "current_password": data["new_password"],
                "new_password": "another long passphrase",
                "new_password_confirmation": "another long passphrase",
            },
        ).status_code
        == 302
    )


def test_it_handles_a_mismatched_confirmation_locally(signed_in, upstream):
    data = {"current_password": "x", "new_password": "long enough one", "new_password_confirmation": "different"}
    response = signed_in.post("/authentication/password/", data, HTTP_HX_REQUEST="true")
    assert "This does not match the new password." in response.content.decode()
    assert upstream.calls(route="/v1/users/account") == []


def test_it_handles_a_wrong_current_password_from_the_upstream(signed_in, upstream):
    data = {
        "current_password": "not-the-password",
        "new_password": "a brand new passphrase",
        "new_password_confirmation": "a brand new passphrase",
    }
    response = signed_in.post("/authentication/password/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_current_password_errors"' in html
    assert "The current password is not right." in html
    assert "Is invalid." not in html
    assert "not-the-password" not in html  # secrets are not echoed back


@pytest.mark.parametrize("variant", ["422", "401"])
def test_a_wrong_current_password_keeps_the_session_and_the_new_password(
    signed_in, upstream, sandbox_behaviour, variant
):
    if variant == "401":
        sandbox_behaviour("wrong-password-401")
    data = {
        "current_password": "not-the-password",
        "new_password": "a brand new passphrase",
        "new_password_confirmation": "a brand new passphrase",
    }
    response = signed_in.post("/authentication/password/", data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "HX-Redirect" not in response
    assert "The current password is not right." in html
    # No typed password is written into the page; the page's script puts back the new ones.
    assert "not-the-password" not in html and "a brand new passphrase" not in html
    assert re.search(r'<input type="password" name="new_password"[^>]*data-keep-typed', html)
    assert re.search(r'<input type="password" name="new_password_confirmation"[^>]*data-keep-typed', html)
    assert not re.search(r'<input type="password" name="current_password"[^>]*data-keep-typed', html)
    assert signed_in.get("/authentication/").status_code == 200
    login = upstream.calls(route="/v1/tokens/exchange")
    assert all(c["status"] == 200 for c in login)


def test_a_dead_token_still_ends_the_session_on_a_write(signed_in, upstream, sandbox_behaviour):
    sandbox_behaviour("wrong-password-401")
    revoke_tokens("demo-ordinary")
    data = {"current_password": "x", "new_password": "a long new one!", "new_password_confirmation": "a long new one!"}
    response = signed_in.post("/authentication/password/", data, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith("/signin/")
    assert signed_in.get("/authentication/").status_code == 302


@pytest.mark.parametrize("kind", ["404", "409", "429", "500", "timeout", "malformed"])
def test_it_handles_upstream_failures_on_password(signed_in, upstream, failing, kind):
    failing("dashboard.upstream.users.user_update", kind)
    data = {"current_password": "a", "new_password": "a long new one", "new_password_confirmation": "a long new one"}
    htmx = signed_in.post("/authentication/password/", data, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200
    assert FAILURE_TEXT[kind] in htmx.content.decode().lower()
    assert signed_in.post("/authentication/password/", data).status_code == plain_status(kind)


def test_it_tells_a_github_account_how_to_set_a_password(signed_in_as, upstream):
    client = signed_in_as("github")
    html = client.get("/authentication/").content.decode()
    assert "Login with GitHub" in html
    assert "Forgot your password?" in html
    assert 'name="current_password"' not in html


def test_it_enables_2fa_with_a_code_and_shows_recovery_codes_once(signed_in, upstream):
    response = signed_in.post("/authentication/2fa/enable/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "<svg" in html
    secret = _secret(html)
    assert "otpauth" not in signed_in.session.get("tfa_pending_uri", "")  # kept encrypted

    wrong = signed_in.post("/authentication/2fa/confirm/", {"tfa-code": "000000"}, HTTP_HX_REQUEST="true")
    assert "This code is not valid." in wrong.content.decode()
    assert "<svg" in wrong.content.decode()  # the person can retry

    code = pyotp.TOTP(secret).now()
    done = signed_in.post("/authentication/2fa/confirm/", {"tfa-code": code}, HTTP_HX_REQUEST="true")
    html = done.content.decode()
    assert done.status_code == 200
    assert "Your recovery codes" in html
    assert "shown only once" in html
    assert "tfa_pending_uri" not in signed_in.session
    assert len(upstream.calls(route="/v1/client/tfa/validate", method="POST")) == 2

    page = signed_in.get("/authentication/").content.decode()
    assert "Your recovery codes" not in page
    assert "Turn off 2FA" in page


def test_it_enables_2fa_without_js(signed_in, upstream):
    response = signed_in.post("/authentication/2fa/enable/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    secret = _secret(html)
    wrong = signed_in.post("/authentication/2fa/confirm/", {"tfa-code": "12"})
    assert wrong.status_code == 400
    assert "Enter the 6 digits" in wrong.content.decode()
    done = signed_in.post("/authentication/2fa/confirm/", {"tfa-code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    assert "Your recovery codes" in done.content.decode()
    assert "no-store" in done["Cache-Control"]


def test_it_handles_a_confirmation_without_a_pending_enrolment(signed_in, upstream):
    response = signed_in.post("/authentication/2fa/confirm/", {"tfa-code": "123456"}, HTTP_HX_REQUEST="true")
    assert "Start again" in response.content.decode()


def test_it_disables_2fa_with_a_code(signed_in_as, upstream):
    from sandbox.demo import TWOFA_TOTP_SECRET

    client = signed_in_as("twofa")
    assert "Turn off 2FA" in client.get("/authentication/").content.decode()
    wrong = client.post("/authentication/2fa/disable/", {"tfa-code": "000000"}, HTTP_HX_REQUEST="true")
    assert "This code is not valid." in wrong.content.decode()
    response = client.post("/authentication/2fa/disable/", {"tfa-code": pyotp.TOTP(TWOFA_TOTP_SECRET).now()})
    assert response.status_code == 302
    assert "Two-factor authentication is off." in client.get("/authentication/").content.decode()


@pytest.mark.parametrize("variant", ["422", "401"])
def test_a_wrong_2fa_code_is_said_at_its_field_and_keeps_the_session(
    signed_in_as, upstream, sandbox_behaviour, variant
):
    if variant == "401":
        sandbox_behaviour("wrong-password-401")
    client = signed_in_as("twofa")
    wrong = client.post("/authentication/2fa/disable/", {"tfa-code": "000000"}, HTTP_HX_REQUEST="true")
    html = wrong.content.decode()
    assert "HX-Redirect" not in wrong
    assert 'id="id_tfa-code_errors"' in html
    assert "This code is not valid." in html
    assert [c["status"] for c in upstream.calls(route="/v1/client/tfa", method="DELETE")] == (
        [422] if variant == "422" else [401, 401]
    )
    assert "Turn off 2FA" in client.get("/authentication/").content.decode()


def test_it_sends_a_2fa_code_that_starts_with_0_as_typed(signed_in_as, upstream):
    import time_machine

    # The demo 2FA account's app shows 033957 at this moment (computed once with pyotp).
    with time_machine.travel(datetime(2026, 12, 1, 9, 23, 40, tzinfo=UTC), tick=False):
        client = signed_in_as("twofa")
        response = client.post("/authentication/2fa/disable/", {"tfa-code": "033 957"}, HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert "This code is not valid." not in html
        assert "Two-factor authentication is off." in html
    assert [c["status"] for c in upstream.calls(route="/v1/client/tfa", method="DELETE")] == [200]


@pytest.mark.parametrize("kind", ["404", "409", "429", "500", "timeout", "malformed"])
def test_it_handles_upstream_failures_on_2fa(signed_in, upstream, failing, kind):
    failing("dashboard.upstream.account.tfa_enrol", kind)
    htmx = signed_in.post("/authentication/2fa/enable/", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200
    assert "<html" not in htmx.content.decode()
    assert FAILURE_TEXT[kind] in htmx.content.decode().lower()
    assert signed_in.post("/authentication/2fa/enable/").status_code == plain_status(kind)


def test_it_shows_the_rest_of_the_page_when_2fa_status_fails(signed_in, upstream, fault):
    fault("500", f"{AUTH}/client/tfa")
    response = signed_in.get("/authentication/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "The 2FA status could not be read" in html
    assert "Change password" in html


def test_it_blocks_deletion_while_apps_are_owned(signed_in, upstream):
    html = signed_in.get("/authentication/").content.decode()
    assert "Your account owns 2 apps." in html
    assert "ordinary-blog" in html and "ordinary-api" in html
    assert "<fieldset disabled>" in html
    response = signed_in.post("/authentication/delete/", {"confirm_username": "demo-ordinary"})
    assert response.status_code == 409
    assert upstream.calls(route="/v1/users", method="DELETE") == []


def test_it_names_regions_by_their_display_name_in_the_deletion_panel(signed_in_as, upstream):
    client = signed_in_as("collaborator")
    html = client.get("/authentication/").content.decode()
    panel = html[html.index('id="deletion"') :]
    assert "No app owned by your account in any region (Paris - Outscale, Paris - SecNumCloud - Outscale)." in panel
    assert "Region(" not in panel
    assert "http" not in panel


def test_it_names_the_region_of_each_owned_app(signed_in, upstream):
    html = signed_in.get("/authentication/").content.decode()
    panel = html[html.index('id="deletion"') :]
    assert 'ordinary-blog</strong> <span class="muted">(Paris - Outscale)' in panel
    assert "(osc-fr1)" not in panel
    assert "Region(" not in panel


def test_it_names_an_unreadable_region_and_lets_the_person_retry_or_go_on(signed_in_as, upstream, fault):
    client = signed_in_as("collaborator")
    fault("500", "/sandbox/api/osc-secnum-fr1/v1/apps")
    html = client.get("/authentication/").content.decode()
    assert "The apps in Paris - SecNumCloud - Outscale could not be checked right now." in html
    assert 'href="/authentication/#deletion">Check again' in html
    assert "<fieldset disabled>" not in html
    assert "my account owns no app in Paris - SecNumCloud - Outscale" in html
    # Without saying so, nothing is sent.
    response = client.post("/authentication/delete/", {"confirm_username": "demo-collaborator"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Check again, or confirm that your account owns no app in Paris - SecNumCloud - Outscale." in body
    assert 'value="demo-collaborator"' in body
    assert upstream.calls(route="/v1/users/delete", method="POST") == []
    # Saying so asks the platform for the emailed confirmation.
    response = client.post(
        "/authentication/delete/",
        {"confirm_username": "demo-collaborator", "unchecked_regions_ok": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert "Check your email." in response.content.decode()
    assert len(upstream.calls(route="/v1/users/delete", method="POST")) == 1
    assert upstream.calls(route="/v1/users", method="DELETE") == []


def test_it_retries_a_region_that_answers_again(signed_in_as, upstream, fault):
    client = signed_in_as("collaborator")
    fault("500", "/sandbox/api/osc-secnum-fr1/v1/apps")
    assert "could not be checked" in client.get("/authentication/").content.decode()
    from sandbox import faults

    faults.reset()
    from django.core.cache import cache

    cache.clear()
    html = client.get("/authentication/").content.decode()
    assert "could not be checked" not in html
    assert "No app owned by your account in any region" in html


def test_it_blocks_deletion_when_the_regions_cannot_be_read(signed_in_as, upstream, fault):
    client = signed_in_as("collaborator")
    fault("500", f"{AUTH}/regions")
    html = client.get("/authentication/").content.decode()
    assert "The list of regions could not be read" in html
    assert "<fieldset disabled>" in html
    response = client.post("/authentication/delete/", {"confirm_username": "demo-collaborator"})
    assert response.status_code == 503
    assert upstream.calls(route="/v1/users/delete", method="POST") == []


def test_it_handles_a_wrong_username_on_deletion(signed_in_as, upstream):
    client = signed_in_as("collaborator")
    response = client.post("/authentication/delete/", {"confirm_username": "someone"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "This is not your username. Type demo-collaborator exactly." in html
    assert "as shown above" not in html  # the username is shown below the field, not above
    assert upstream.calls(route="/v1/users/delete", method="POST") == []
    assert upstream.calls(route="/v1/users", method="DELETE") == []


def _mail(client, upstream) -> dict:
    mail = client.get("/sandbox/_control/mail").json()["mail"]
    assert len(mail) == 1
    return mail[0]


def test_it_deletes_with_the_emailed_token_as_the_official_client_does(signed_in_as, upstream):
    client = signed_in_as("collaborator")
    html = client.get("/authentication/").content.decode()
    assert "No app owned by your account" in html
    response = client.post("/authentication/delete/", {"confirm_username": "demo-collaborator"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Check your email." in body
    assert "collaborator@demo.sandbox.test" in body
    assert "Token from the email" in body
    requests = upstream.calls(route="/v1/users/delete", method="POST")
    assert len(requests) == 1 and requests[0]["host"] == "auth"
    assert client.get("/profile/").status_code == 200  # nothing deleted yet
    mail = _mail(client, upstream)
    # A wrong token: the message is at the field and what was typed stays.
    wrong = client.post(
        "/authentication/delete/confirm/",
        {"deletion": mail["deletion_id"], "token": "not-the-token"},
        HTTP_HX_REQUEST="true",
    )
    assert "This token is not the one in the email." in wrong.content.decode()
    assert 'value="not-the-token"' in wrong.content.decode()
    response = client.post(
        "/authentication/delete/confirm/",
        {"deletion": mail["deletion_id"], "token": mail["token"]},
        HTTP_HX_REQUEST="true",
    )
    assert response.headers["HX-Redirect"] == "/goodbye/"
    assert len(upstream.calls(route="/v1/users/delete/:id/confirm", method="POST")) == 2
    assert upstream.calls(route="/v1/users", method="DELETE") == []
    assert "Your account is deleted" in client.get("/goodbye/").content.decode()
    assert client.get("/profile/").status_code == 302
    from sandbox.models import User

    assert not User.objects.filter(username="demo-collaborator").exists()


def test_it_deletes_from_the_emailed_link_without_javascript(signed_in_as, upstream):
    client = signed_in_as("collaborator")
    response = client.post("/authentication/delete/", {"confirm_username": "demo-collaborator"})
    assert response.status_code == 302
    assert response["Location"] == "/authentication/#deletion"
    link = _mail(client, upstream)["link"]
    page = client.get(link[link.index("/authentication/") :])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Delete my account for good" in html
    assert upstream.calls(route="/v1/users/delete/:id/confirm", method="POST") == []  # a GET never deletes
    mail = _mail(client, upstream)
    done = client.post("/authentication/delete/confirm/", {"deletion": mail["deletion_id"], "token": mail["token"]})
    assert done.status_code == 302 and done["Location"] == "/goodbye/"


def test_it_keeps_the_account_when_the_person_changes_their_mind(signed_in_as, upstream):
    client = signed_in_as("collaborator")
    client.post("/authentication/delete/", {"confirm_username": "demo-collaborator"})
    assert "Check your email." in client.get("/authentication/").content.decode()
    response = client.post("/authentication/delete/cancel/")
    assert response.status_code == 302
    html = client.get("/authentication/").content.decode()
    assert "Check your email." not in html
    assert "Type your username to confirm" in html


def test_it_falls_back_to_delete_users_when_the_platform_has_no_email_flow(signed_in_as, upstream, sandbox_behaviour):
    sandbox_behaviour("user-deletion-404")
    client = signed_in_as("collaborator")
    response = client.post("/authentication/delete/", {"confirm_username": "demo-collaborator"}, HTTP_HX_REQUEST="true")
    assert response.headers["HX-Redirect"] == "/goodbye/"
    assert len(upstream.calls(route="/v1/users/delete", method="POST")) == 1
    assert len(upstream.calls(route="/v1/users", method="DELETE")) == 1
    assert client.get("/profile/").status_code == 302


def test_it_never_falls_back_to_the_cascade_with_a_region_unchecked(signed_in_as, upstream, sandbox_behaviour, fault):
    sandbox_behaviour("user-deletion-404")
    client = signed_in_as("collaborator")
    fault("500", "/sandbox/api/osc-secnum-fr1/v1/apps")
    response = client.post(
        "/authentication/delete/",
        {"confirm_username": "demo-collaborator", "unchecked_regions_ok": "on"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "every region must be checked first" in body
    assert "Paris - SecNumCloud - Outscale" in body
    assert upstream.calls(route="/v1/users", method="DELETE") == []
    assert client.get("/profile/").status_code == 200


@pytest.mark.parametrize("kind", ["409", "429", "500", "malformed"])
def test_it_handles_upstream_failures_on_deletion(signed_in_as, upstream, failing, kind):
    client = signed_in_as("collaborator")
    failing("dashboard.upstream.users.user_deletion_request", kind)
    response = client.post("/authentication/delete/", {"confirm_username": "demo-collaborator"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert FAILURE_TEXT[kind] in response.content.decode().lower()
    plain = client.post("/authentication/delete/", {"confirm_username": "demo-collaborator"})
    assert plain.status_code == plain_status(kind)
    assert client.get("/profile/").status_code == 200  # still signed in


def test_it_handles_a_401_on_the_authentication_page(signed_in, upstream):
    revoke_tokens("demo-ordinary")
    response = signed_in.get("/authentication/")
    assert response.status_code == 302
    assert response["Location"].startswith("/signin/")


def test_it_shows_the_authentication_page_in_french(signed_in, upstream):
    # Sign-in applied the account's own language (kept upstream); the person then picks French.
    signed_in.cookies["dashboard_language"] = "fr"
    html = signed_in.get("/authentication/").content.decode()
    assert "Authentification à deux facteurs" in html


def test_it_asks_for_the_emailed_link_when_the_platform_does_not_name_the_request(signed_in_as, upstream, monkeypatch):
    from dashboard.upstream import users

    original = users.user_deletion_request

    def without_id(*, auth):
        original(auth=auth)  # the platform emails, but its answer (undocumented) names no request
        return users.DeletionRequest(id=None)

    monkeypatch.setattr(users, "user_deletion_request", without_id)
    client = signed_in_as("collaborator")
    client.post("/authentication/delete/", {"confirm_username": "demo-collaborator"})
    html = client.get("/authentication/").content.decode()
    assert "Follow the link in that email to confirm." in html
    assert "Token from the email" not in html
    link = _mail(client, upstream)["link"]
    page = client.get(link[link.index("/authentication/") :]).content.decode()
    assert "Delete my account for good" in page
