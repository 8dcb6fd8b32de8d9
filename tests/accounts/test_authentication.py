"""Authentication page: email, password, 2FA, and account deletion."""

from __future__ import annotations

import re

import pyotp
import pytest

from tests.accounts.conftest import AUTH, FAILURE_TEXT, REGIONAL, plain_status, revoke_tokens

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


def test_it_edits_the_email_in_place(signed_in, upstream):
    response = signed_in.post(
        "/profile/fields/email/", {"email": "new@demo.sandbox.test", "page": "authentication"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "new@demo.sandbox.test" in html
    assert "Email saved." in html
    plain = signed_in.post("/profile/fields/email/", {"email": "newer@demo.sandbox.test", "page": "authentication"})
    assert plain["Location"] == "/authentication/#field-email"


def test_it_handles_a_taken_email(signed_in, upstream):
    data = {"email": "twofa@demo.sandbox.test", "page": "authentication"}
    response = signed_in.post("/profile/fields/email/", data, HTTP_HX_REQUEST="true")
    assert "Has already been taken." in response.content.decode()
    assert 'value="twofa@demo.sandbox.test"' in response.content.decode()
    plain = signed_in.post("/profile/fields/email/", data)
    assert plain.status_code == 400
    assert "Authentication" in plain.content.decode()
    assert "Has already been taken." in plain.content.decode()


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
    assert "Is invalid." in html
    assert "not-the-password" not in html  # secrets are not echoed back


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


def test_it_blocks_deletion_when_a_region_cannot_be_checked(signed_in_as, upstream, fault):
    client = signed_in_as("collaborator")
    fault("500", f"{REGIONAL}/apps")
    html = client.get("/authentication/").content.decode()
    assert "could not be checked right now" in html
    assert "<fieldset disabled>" in html
    response = client.post("/authentication/delete/", {"confirm_username": "demo-collaborator"}, HTTP_HX_REQUEST="true")
    assert "could not be checked" in response.content.decode()
    assert upstream.calls(route="/v1/users", method="DELETE") == []


def test_it_handles_a_wrong_username_on_deletion(signed_in_as, upstream):
    client = signed_in_as("collaborator")
    response = client.post("/authentication/delete/", {"confirm_username": "someone"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "This is not your username." in response.content.decode()
    assert upstream.calls(route="/v1/users", method="DELETE") == []


def test_it_deletes_an_account_that_owns_no_app(signed_in_as, upstream):
    client = signed_in_as("collaborator")
    html = client.get("/authentication/").content.decode()
    assert "No app owned by your account" in html
    response = client.post("/authentication/delete/", {"confirm_username": "demo-collaborator"}, HTTP_HX_REQUEST="true")
    assert response.headers["HX-Redirect"] == "/goodbye/"
    assert len(upstream.calls(route="/v1/users", method="DELETE")) == 1
    goodbye = client.get("/goodbye/")
    assert goodbye.status_code == 200
    assert "Your account is deleted" in goodbye.content.decode()
    assert client.get("/profile/").status_code == 302


@pytest.mark.parametrize("kind", ["404", "409", "429", "500"])
def test_it_handles_upstream_failures_on_deletion(signed_in_as, upstream, failing, kind):
    client = signed_in_as("collaborator")
    failing("dashboard.upstream.users.user_delete", kind)
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
