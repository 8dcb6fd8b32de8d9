"""A person signs in through a real browser and reaches the Overview."""

from __future__ import annotations

import pyotp
import pytest

from tests.helpers import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_signs_in_with_a_password_and_2fa_in_a_browser(upstream, page):
    account = demo("twofa")
    page.goto(f"{upstream.url}/")
    assert "/signin/" in page.url
    page.get_by_label("Email or username").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/signin/code/")
    page.get_by_label("Authentication code").fill(pyotp.TOTP(account.totp_secret).now())
    page.get_by_role("button", name="Verify and sign in").click()
    page.wait_for_url(f"{upstream.url}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Hello")
    assert page.get_by_text(account.username).first.is_visible()


def test_it_signs_in_with_a_token_and_out_again(browser_signed_in, upstream):
    page = browser_signed_in("ordinary", through_form=True)
    assert page.get_by_role("navigation", name="Account").is_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/signin/")
    assert page.get_by_text("You are signed out.").is_visible()
