"""The account pages in a real browser: in-place edits, secrets shown once, 2FA, keys, deletion."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import expect

from tests.accounts.keys_data import ED25519, ED25519_FINGERPRINT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_edits_the_email_in_place_with_an_error_then_success(browser_signed_in, upstream):
    page = browser_signed_in("ordinary")
    page.goto(f"{upstream.url}/authentication/")
    page.evaluate("window.__noReload = true")
    field = page.locator("#field-email")
    field.get_by_role("link", name="Edit Email").click()
    email = field.get_by_label("Email", exact=True)
    expect(email).to_be_focused()
    password = field.get_by_label("Current password")
    email.fill("twofa@demo.sandbox.test")
    password.fill("demo-ordinary-password")
    field.get_by_role("button", name="Save").click()
    taken = "This email is already used by another account. Use another one."
    expect(field.locator("#id_email_errors")).to_have_text(taken)
    expect(email).to_have_value("twofa@demo.sandbox.test")
    # The password was right: the browser puts it back (the server never writes it into the page).
    expect(password).to_have_value("demo-ordinary-password")

    # A wrong password is said at its field and cleared; the new address stays.
    email.fill("renamed@demo.sandbox.test")
    password.fill("not-my-password")
    field.get_by_role("button", name="Save").click()
    expect(field.locator("#id_email_current_password_errors")).to_have_text("The current password is not right.")
    expect(email).to_have_value("renamed@demo.sandbox.test")
    expect(password).to_have_value("")
    expect(password).to_be_focused()

    # Escape restores the read view, then a new edit with the password succeeds.
    email.press("Escape")
    expect(field.locator("form")).to_have_count(0)
    expect(field).to_contain_text("ordinary@demo.sandbox.test")
    field.get_by_role("link", name="Edit Email").click()
    expect(email).to_be_focused()
    email.fill("renamed@demo.sandbox.test")
    password.fill("demo-ordinary-password")
    field.get_by_role("button", name="Save").click()
    expect(field.get_by_role("status")).to_have_text("Email saved.")
    expect(field).to_contain_text("renamed@demo.sandbox.test")
    assert page.evaluate("window.__noReload") is True


def test_it_shows_a_new_token_secret_once(page, upstream):
    page.goto(f"{upstream.url}/signin/")
    page.get_by_label("Email or username").fill("demo-ordinary")
    page.get_by_label("Password").fill("demo-ordinary-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{upstream.url}/")
    page.goto(f"{upstream.url}/api-tokens/")
    # The token this sign-in created is marked, and named so it can be told apart from others.
    own = page.locator("tr.session-token")
    expect(own).to_contain_text("This session")
    expect(own).to_contain_text(
        re.compile(r"Dashboard - localhost - Chrome on Linux - \d{4}-\d\d-\d\d \d\d:\d\d CES?T")
    )
    page.get_by_label("Name").fill("Browser test")
    page.get_by_role("button", name="Create the token").click()
    secret = page.locator("#token-secret")
    expect(secret).to_have_text(re.compile(r"^tk-us-"))
    expect(page.get_by_text("Copy it now: it will not be shown again.")).to_be_visible()
    value = secret.inner_text()
    expect(page.locator("#tokens table")).to_contain_text("Browser test")
    page.reload()
    expect(page.locator("#token-secret")).to_have_count(0)
    assert value not in page.content()


def test_it_enables_2fa_with_a_computed_code(browser_signed_in, upstream):
    page = browser_signed_in("ordinary")
    page.goto(f"{upstream.url}/authentication/")
    page.get_by_role("button", name="Set up 2FA").click()
    expect(page.locator("#tfa svg")).to_be_visible()
    secret = page.locator("#tfa-secret").inner_text().replace(" ", "")
    code = page.get_by_label("Code from your authenticator app")
    code.fill("000000")
    page.get_by_role("button", name="Turn on 2FA").click()
    expect(page.locator("#tfa .field-errors")).to_contain_text("This code is not valid.")
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on 2FA").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator("#recovery-codes")).to_have_text(re.compile(r"\w{6,}"))
    expect(page.get_by_role("link", name="Download as a text file")).to_be_visible()
    expect(page.locator("#tfa .badge")).to_have_text("On")


def test_it_adds_and_deletes_a_key(browser_signed_in, upstream):
    page = browser_signed_in("ordinary")
    page.goto(f"{upstream.url}/ssh-keys/")
    page.get_by_label("Name").fill("Browser laptop")
    page.get_by_label("Public key").fill("ssh-ed25519 AAAAnotakey")
    page.get_by_role("button", name="Add the key").click()
    expect(page.locator("#id_content_errors")).to_be_visible()
    page.get_by_label("Public key").fill(ED25519)
    page.get_by_role("button", name="Add the key").click()
    expect(page.get_by_role("status")).to_contain_text("SSH key “Browser laptop” added.")
    row = page.locator("tr", has_text="Browser laptop")
    expect(row).to_contain_text(ED25519_FINGERPRINT)

    row.get_by_role("link", name="Delete Browser laptop").click()
    expect(page.get_by_role("heading", name="Delete the SSH key “Browser laptop”?")).to_be_visible()
    page.get_by_role("button", name="Delete “Browser laptop”").click()
    expect(page.get_by_role("status")).to_contain_text("SSH key “Browser laptop” deleted.")
    expect(page.locator("tr", has_text="Browser laptop")).to_have_count(0)


def test_it_blocks_deletion_while_apps_are_owned(browser_signed_in, upstream):
    page = browser_signed_in("ordinary")
    page.goto(f"{upstream.url}/authentication/")
    deletion = page.locator("#deletion")
    expect(deletion).to_contain_text("Your account owns 2 apps.")
    expect(deletion).to_contain_text("ordinary-blog")
    expect(deletion.get_by_role("button", name="Delete my account")).to_be_disabled()
    expect(deletion.get_by_label("Type your username to confirm")).to_be_disabled()


def test_a_footer_choice_made_before_sign_in_survives_it(page, upstream):
    page.goto(f"{upstream.url}/signin/?method=token")
    page.locator("#language-select").select_option("fr")
    page.wait_for_url(re.compile(r"/signin/"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.locator("#theme-select").select_option("dark")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.get_by_label("Jeton d’API").fill("tk-us-j763YMHI_Ljn-TWXKQo7BR2PjnuDnaBBCTSyv9orfTswwHXz")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{upstream.url}/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(page.locator("#language-select")).to_have_value("fr")
    expect(page.locator("#theme-select")).to_have_value("dark")


def test_the_header_shows_the_new_username_after_an_inline_rename(browser_signed_in, upstream):
    page = browser_signed_in("ordinary")
    page.goto(f"{upstream.url}/profile/")
    page.evaluate("window.__noReload = true")
    header = page.locator("header .who")
    expect(header).to_contain_text("demo-ordinary")
    field = page.locator("#field-username")
    field.get_by_role("link", name="Edit Username").click()
    field.get_by_label("Username").fill("ordinary-renamed")
    field.get_by_role("button", name="Save").click()
    expect(field.get_by_role("status")).to_have_text("Username saved.")
    expect(header).to_contain_text("ordinary-renamed")
    expect(header).not_to_contain_text("demo-ordinary")
    expect(page.locator("#signed-in-as")).to_have_count(1)
    assert page.evaluate("window.__noReload") is True


def test_a_wrong_current_password_keeps_the_new_one_typed(browser_signed_in, upstream):
    page = browser_signed_in("ordinary")
    page.goto(f"{upstream.url}/authentication/")
    form = page.locator("#password")
    form.get_by_label("Current password").fill("not-my-password")
    form.get_by_label("New password", exact=True).fill("a brand new passphrase")
    form.get_by_label("Confirm the new password").fill("a brand new passphrase")
    form.get_by_role("button", name="Change password").click()
    expect(form.locator("#id_current_password_errors")).to_have_text("The current password is not right.")
    expect(form.get_by_label("Current password")).to_have_value("")
    expect(form.get_by_label("Current password")).to_be_focused()
    expect(form.get_by_label("New password", exact=True)).to_have_value("a brand new passphrase")
    expect(form.get_by_label("Confirm the new password")).to_have_value("a brand new passphrase")
    form.get_by_label("Current password").fill("demo-ordinary-password")
    form.get_by_role("button", name="Change password").click()
    expect(form.get_by_role("status")).to_contain_text("Your password was changed.")


def test_it_deletes_the_account_with_the_emailed_token(browser_signed_in, upstream):
    page = browser_signed_in("collaborator")
    page.goto(f"{upstream.url}/authentication/#deletion")
    deletion = page.locator("#deletion")
    expect(deletion).to_contain_text("No app owned by your account in any region (Paris - Outscale")
    page.get_by_label("Type your username to confirm").fill("demo-collaborator")
    deletion.get_by_role("button", name="Delete my account").click()
    expect(deletion).to_contain_text("Check your email.")
    mail = page.request.get(f"{upstream.url}/sandbox/_control/mail").json()["mail"][0]
    page.get_by_label("Token from the email").fill(mail["token"])
    deletion.get_by_role("button", name="Delete my account for good").click()
    page.wait_for_url(f"{upstream.url}/goodbye/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("deleted")


def test_it_changes_the_email_with_javascript_off(browser, upstream):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{upstream.url}/signin/?method=token")
    page.get_by_label("API token").fill("tk-us-j763YMHI_Ljn-TWXKQo7BR2PjnuDnaBBCTSyv9orfTswwHXz")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{upstream.url}/authentication/")
    page.locator("#field-email").get_by_role("link", name="Edit Email").click()
    field = page.locator("#field-email")
    field.get_by_label("Email", exact=True).fill("renamed@demo.sandbox.test")
    field.get_by_label("Current password").fill("wrong-password")
    field.get_by_role("button", name="Save").click()
    expect(field.locator("#id_email_current_password_errors")).to_have_text("The current password is not right.")
    expect(field.get_by_label("Email", exact=True)).to_have_value("renamed@demo.sandbox.test")
    field.get_by_label("Current password").fill("demo-ordinary-password")
    field.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Email saved.")).to_be_visible()
    expect(page.locator("#field-email")).to_contain_text("renamed@demo.sandbox.test")
    context.close()
