"""A billing write drops every cached read it changes: the next read shows the fresh value."""

from __future__ import annotations


def test_a_payment_method_saved_shows_the_failed_invoice_paid_at_once(signed_in_as, sandbox_invoices):
    from accounts.session import SessionAuth, account
    from billing import payment
    from dashboard.caller import Caller

    client = signed_in_as("suspended")
    failed = next(invoice for invoice in sandbox_invoices("suspended") if invoice.state == "failed")
    before = client.get(f"/invoices/{failed.id}/").content.decode()  # now cached for a few seconds
    assert "Payment failed" in before
    assert "The account is suspended until it is paid." in before

    session = client.session
    current = account(session)
    assert current is not None
    caller = Caller(auth=SessionAuth(session), user_id=current.user_id)
    profile = payment.billing_profile(caller=caller)
    assert profile is not None
    # A new payment method pays the failed invoices at once and lifts the suspension (sandbox §billing).
    payment.billing_profile_save(caller=caller, profile=profile, fields={"payment_method": "paypal"})

    after = client.get(f"/invoices/{failed.id}/").content.decode()
    assert '<span class="badge badge-success">Paid</span>' in after
    assert "Payment failed" not in after
    assert "The payment of this invoice failed." not in after
    assert "The account is suspended until it is paid." not in after
