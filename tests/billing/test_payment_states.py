"""Each payment state has its own true message and a real next step: card, SEPA, PayPal, credit
only; an unpaid invoice before the suspension, and a suspended account. The frozen clock makes the
dates literal: 10 December 2026, November's invoice issued on 1 December at 13:02."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest

MOMENT = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)
PLATFORM = 'href="https://dashboard.scalingo.com/billing"'

SEPA = {
    "id": "src_sepa",
    "default_card_last4": None,
    "default_card_exp": None,
    "default_card_brand": None,
    "default_card_name": None,
    "sepa_bank_code": "30003",
    "sepa_country": "FR",
    "sepa_last4": "3000",
    "sepa_mandate_reference": "SANDBOX-SEPA-0009",
    "sepa_mandate_url": None,
}

# What each method is told, and must not be told when it is another method.
METHOD_TEXT = {
    "card": "The card Visa ending in 4242 was refused. To pay now, replace the card or add prepaid credit",
    "sepa": "The SEPA debit from the bank account ending in 3000 was refused.",
    "paypal": "Your prepaid credit (€3.00) does not cover the unpaid amount (€",
    "credit": "The account has no payment method, and its prepaid credit (€3.00) does not cover",
}


def _set_up(method: str, state: str) -> None:
    from sandbox.models import BillingProfile, Invoice, User

    user = User.objects.get(username="demo-ordinary")
    profile = BillingProfile.objects.get(user=user)
    if method == "sepa":
        profile.stripe = SEPA
    elif method == "paypal":
        profile.payment_method, profile.stripe, profile.paypal = "paypal", None, {"id": "PAYID-DEMO"}
        profile.credit = Decimal("3.00")
    elif method == "credit":
        profile.payment_method, profile.stripe, profile.paypal = "", None, None
        profile.credit = Decimal("3.00")
    profile.save()
    newest = Invoice.objects.filter(user=user).order_by("-billing_month").first()
    newest.state = "failed"
    if state == "unpaid":
        newest.created_at = datetime(2026, 12, 9, 12, 0, tzinfo=UTC)  # suspends on 14 December
    else:
        user.suspended_at = datetime(2026, 12, 6, 16, 2, tzinfo=UTC)  # 5 days after 1 December
        user.suspension_reason = "Invoice unpaid for 5 days"
        user.save()
    newest.save()


@pytest.mark.parametrize("state", ["unpaid", "suspended"])
@pytest.mark.parametrize("method", ["card", "sepa", "paypal", "credit"])
def test_it_tells_each_payment_state_the_truth_and_the_next_step(seeded_at, signed_in_as, method, state):
    seeded_at(MOMENT)
    _set_up(method, state)
    client = signed_in_as("ordinary")
    billing = client.get("/billing/").content.decode()
    step = billing[billing.index('id="what-to-do"') : billing.index("</section>", billing.index('id="what-to-do"'))]
    assert METHOD_TEXT[method] in step
    for other, text in METHOD_TEXT.items():
        if other != method:
            assert text not in step
    assert PLATFORM in step and "Pay on the Scalingo dashboard" in step
    assert 'href="/invoices/?state=failed"' in step
    if method != "card":
        assert "card was refused" not in step and "replace the card" not in step
    overview = client.get("/").content.decode()
    assert 'href="/billing/#what-to-do"' in overview
    assert "pay before the account is suspended" not in overview  # the old, contradictory line
    assert "change the payment card" not in overview
    if state == "suspended":
        assert "Your account is suspended" in step and "Suspended since 6 December 2026" in step
        assert "lifts the suspension" in step and "Unless it is paid" not in step
        assert "Your account is suspended." in overview and "Since 6 December 2026." in overview
        assert "The account is suspended until it is paid." in overview
        assert "Unless it is paid" not in overview
    else:
        assert "An invoice is unpaid" in step and "Your account is suspended" not in step
        assert "Unless it is paid, the account is suspended on 14 December 2026" in step
        assert "Unless it is paid, the account is suspended on 14 December 2026" in overview
        assert "Your account is suspended." not in overview and "suspended until it is paid" not in overview


def test_it_offers_the_platforms_dashboard_when_all_is_paid(seeded_at, signed_in_as):
    seeded_at(MOMENT)
    billing = signed_in_as("ordinary").get("/billing/").content.decode()
    assert 'id="what-to-do"' not in billing
    assert "Change the payment method on the Scalingo dashboard" in billing
    assert "Add credit on the Scalingo dashboard" in billing and PLATFORM in billing


@pytest.mark.parametrize(
    ("moment", "since"),
    [
        (datetime(2026, 12, 3, 8, 0, tzinfo=UTC), "6 November 2026"),  # the seed used to say 7 December
        (datetime(2026, 12, 10, 12, 0, tzinfo=UTC), "6 December 2026"),
    ],
)
def test_the_suspended_demo_account_is_suspended_in_the_past_and_told_about_sepa(
    seeded_at, signed_in_as, moment, since
):
    seeded_at(moment)
    client = signed_in_as("suspended")
    body = client.get("/billing/").content.decode()
    assert f"Suspended since {since}" in body
    assert "The SEPA debit from the bank account ending in 3000 was refused." in body
    start = body.index('id="what-to-do"')
    step = re.sub(r"<[^>]+>", " ", body[start : body.index("</section>", start)])
    assert "card" not in step.replace("pay by card", "")
    invoices = client.get("/invoices/?state=failed").content.decode()
    assert "The account is suspended until it is paid." in invoices
    assert "The card is retried" not in invoices and 'href="/billing/#what-to-do"' in invoices


def test_a_page_restored_from_history_keeps_the_suspension_banner(signed_in_as):
    """htmx restoring a page from history (Back after a swap) gets the whole page, banner included;
    a fragment swapped in gets no banner (the page around it has one)."""
    client = signed_in_as("suspended")
    restored = client.get("/invoices/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    fragment = client.get("/invoices/", headers={"HX-Request": "true"})
    assert restored.status_code == 200 and "<html" in restored.text
    assert "Your account is suspended." in restored.text
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Your account is suspended." not in fragment.text
