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
    email = page.get_by_label("Email", exact=True)
    expect(email).to_be_focused()
    email.fill("twofa@demo.sandbox.test")
    field.get_by_role("button", name="Save").click()
    expect(field.locator(".field-errors")).to_have_text("Has already been taken.")
    expect(email).to_have_value("twofa@demo.sandbox.test")

    # Escape restores the read view, then a new edit succeeds.
    email.press("Escape")
    expect(field).to_contain_text("ordinary@demo.sandbox.test")
    field.get_by_role("link", name="Edit Email").click()
    page.get_by_label("Email", exact=True).fill("renamed@demo.sandbox.test")
    field.get_by_role("button", name="Save").click()
    expect(field).to_contain_text("renamed@demo.sandbox.test")
    expect(field.get_by_role("status")).to_have_text("Email saved.")
    assert page.evaluate("window.__noReload") is True


def test_it_shows_a_new_token_secret_once(browser_signed_in, upstream):
    page = browser_signed_in("ordinary")
    page.goto(f"{upstream.url}/api-tokens/")
    expect(page.locator("tr.session-token")).to_contain_text("This session")
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
