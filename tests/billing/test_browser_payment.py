"""In Chromium: a suspended person follows the banner to a real next step."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_suspended_person_finds_how_to_pay_from_the_banner(browser_signed_in, upstream):
    page = browser_signed_in("suspended")
    banner = page.get_by_role("alert").filter(has_text="Your account is suspended.")
    assert "change the payment card" not in banner.inner_text()
    banner.get_by_role("link", name="What to do").click()
    page.wait_for_url(re.compile(r".*/billing/#what-to-do$"))
    step = page.locator("#what-to-do")
    assert step.is_visible()
    assert "The SEPA debit from the bank account ending in 3000 was refused." in step.inner_text()
    pay = step.get_by_role("link", name=re.compile("^Pay on the Scalingo dashboard"))
    assert pay.get_attribute("href") == "https://dashboard.scalingo.com/billing"
    assert pay.get_attribute("target") == "_blank"
