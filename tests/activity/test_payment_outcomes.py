"""Whether each payment went through, on the Billing page's payment history (issue 10 #6)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from activity.payments import Outcome, operation_outcomes
from dashboard.money import Money
from dashboard.upstream.billing import BillingOperation, Invoice
from dashboard.upstream.events import Event, PaymentAttemptData
from sandbox import faults

OCT = datetime(2026, 10, 1, 13, 2, tzinfo=UTC)
NOV = datetime(2026, 11, 1, 13, 2, tzinfo=UTC)


def _op(op_id: str, at: datetime, amount: str, *, invoice_id: str | None = None, status: str | None = None):
    return BillingOperation(
        id=op_id,
        created_at=at,
        amount=Money.from_euros(Decimal(amount)),
        source="invoicing",
        description=f"Invoice {op_id}",
        invoice_id=invoice_id,
        status=status,
    )


def _attempt(at: datetime, amount: str, status: str) -> Event:
    data = PaymentAttemptData(amount=Money.from_euros(Decimal(amount)), payment_method="card", status=status)
    return Event(
        id=f"ev-{at.isoformat()}",
        created_at=at,
        type="payment_attempt",
        user=None,
        app_id=None,
        app_name=None,
        data=data,
    )


def _invoice(invoice_id: str, state: str) -> Invoice:
    zero = Money.from_cents(0)
    return Invoice(
        id=invoice_id,
        invoice_number="2026-11-1",
        billing_month=None,
        state=state,
        vat_rate=200,
        total_price=zero,
        total_price_with_vat=zero,
        pdf_url=None,
        items=(),
        detailed_items=(),
        created_at=None,
    )


def test_it_reads_the_latest_attempt_and_counts_the_failures():
    ops = [_op("nov", NOV, "17.28"), _op("oct", OCT, "17.28")]  # the same amount two months running
    attempts = [
        _attempt(OCT + timedelta(minutes=3), "17.28", "paid"),
        _attempt(NOV + timedelta(minutes=3), "17.28", "failed"),
        _attempt(NOV + timedelta(days=1, minutes=3), "17.28", "failed"),
        _attempt(NOV + timedelta(days=2, minutes=3), "17.28", "paid"),
    ]
    outcomes = operation_outcomes(ops, attempts=attempts)
    assert outcomes == {
        "nov": Outcome("paid", failed_attempts=2, source="events"),
        "oct": Outcome("paid", failed_attempts=0, source="events"),
    }


def test_a_failed_attempt_marks_only_its_own_operation():
    ops = [_op("nov", NOV, "17.28"), _op("oct", OCT, "17.28")]
    attempts = [_attempt(OCT, "17.28", "paid"), _attempt(NOV + timedelta(days=4), "17.28", "failed")]
    outcomes = operation_outcomes(ops, attempts=attempts)
    assert outcomes["nov"].status == "failed" and outcomes["oct"].status == "paid"


def test_an_attempt_of_another_amount_or_time_does_not_count():
    ops = [_op("nov", NOV, "17.28")]
    attempts = [_attempt(NOV, "17.29", "failed"), _attempt(NOV - timedelta(days=2), "17.28", "failed")]
    assert operation_outcomes(ops, attempts=attempts) == {}


def test_the_operation_itself_wins_then_the_invoice_then_events():
    ops = [
        _op("says", NOV, "10.00", status="failed", invoice_id="i1"),
        _op("invoice", OCT, "20.00", invoice_id="i2"),
        _op("events", OCT - timedelta(days=31), "30.00", invoice_id="unknown"),
        _op("nothing", OCT - timedelta(days=62), "40.00"),
    ]
    attempts = [
        _attempt(NOV, "10.00", "paid"),
        _attempt(OCT, "20.00", "failed"),
        _attempt(OCT - timedelta(days=31), "30.00", "failed"),
    ]
    invoices = [_invoice("i1", "paid"), _invoice("i2", "paid")]
    outcomes = operation_outcomes(ops, attempts=attempts, invoices=invoices)
    assert outcomes["says"] == Outcome("failed", failed_attempts=0, source="operation")
    # Paid in the end (a new payment method paid it, a month later): the failure is counted.
    assert outcomes["invoice"] == Outcome("paid", failed_attempts=1, source="invoice")
    assert outcomes["events"] == Outcome("failed", failed_attempts=1, source="events")
    assert "nothing" not in outcomes


def _history_rows(html: str) -> list[str]:
    section = re.search(r'<section class="card" id="payment-history".*?</section>', html, re.S)
    assert section, html[:2000]
    rows = re.findall(r"<tr.*?</tr>", section.group(0), re.S)[1:]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


@pytest.mark.django_db(transaction=True)
def test_the_payment_history_shows_a_failed_payment_unlike_a_paid_one(signed_in_as, upstream):
    from sandbox.models import BillingOperation as SandboxOperation

    labels = {"paid": "Paid", "failed": "Payment failed", "new": "Pending"}
    operations = SandboxOperation.objects.filter(user__username="demo-suspended").select_related("invoice")
    expected = {op.description: labels[op.invoice.state] for op in operations}
    assert "Payment failed" in expected.values() and "Paid" in expected.values()
    html = signed_in_as("suspended").get("/billing/").content.decode()
    rows = _history_rows(html)
    assert len(rows) == len(expected)
    for description, label in expected.items():
        row = next(row for row in rows if description in row)
        assert label in row, row
        assert all(other not in row for other in set(labels.values()) - {label}), row
    assert '<tr class="highlight">' in html


@pytest.mark.django_db(transaction=True)
def test_a_failed_payment_attempt_marks_its_operation_failed(signed_in, upstream):
    """The operation and its invoice say nothing here (the invoices cannot be read): the platform's
    payment attempts alone tell that the latest payment failed."""
    from sandbox.models import BillingOperation as SandboxOperation
    from sandbox.models import Event, User

    latest = SandboxOperation.objects.filter(user__username="demo-ordinary").order_by("-created_at").first()
    Event.objects.create(
        user=User.objects.get(username="demo-ordinary"),
        type="payment_attempt",
        type_data={"amount": float(latest.amount), "payment_method": "card", "status": "failed"},
        created_at=latest.created_at + timedelta(days=1),
    )
    faults.configure(forced="500", paths=["/sandbox/api/osc-fr1/v1/account/invoices"])
    rows = _history_rows(signed_in.get("/billing/").content.decode())
    assert "Payment failed" in rows[0] and latest.description in rows[0]
    assert all("Payment failed" not in row for row in rows[1:])


@pytest.mark.django_db(transaction=True)
def test_the_history_fragment_shows_outcomes_too(signed_in_as, upstream):
    client = signed_in_as("teamadmin")
    response = client.get("/billing/?page=2&per_page=10", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="payment-history")
    html = response.content.decode()
    assert "<html" not in html
    rows = _history_rows(html)
    assert len(rows) == 10 and all("Paid" in row for row in rows)


@pytest.mark.django_db(transaction=True)
def test_the_history_shows_a_new_payment_method_paying_the_failed_invoice(signed_in_as, upstream):
    client = signed_in_as("suspended")
    client.get("/billing/")  # warm caches: the write must drop them
    from sandbox.models import BillingProfile

    profile = BillingProfile.objects.get(user__username="demo-suspended")
    import httpx

    from tests.helpers import demo

    bearer = httpx.post(f"{upstream.url}/sandbox/auth/v1/tokens/exchange", auth=("", demo("suspended").api_token))
    card = {"default_card_brand": "Visa", "default_card_last4": "4242", "default_card_exp": "12/2030"}
    answer = httpx.put(
        f"{upstream.url}/sandbox/billing/profiles/{profile.id}",
        json={"profile": {"payment_method": "stripe", "stripe_payment_method": card}},
        headers={"Authorization": f"Bearer {bearer.json()['token']}"},
    )
    assert answer.status_code == 200
    from activity import services

    services.forget(profile.user_id)  # written outside the dashboard: its cache lasts a few seconds
    from django.core.cache import cache

    cache.clear()
    rows = _history_rows(client.get("/billing/").content.decode())
    assert all("Payment failed" not in row for row in rows)
    activity = client.get("/activity/?kind=billing").content.decode()
    assert "Payment method added: Visa ending in 4242, expires 12/2030" in activity


@pytest.mark.django_db(transaction=True)
def test_the_history_links_to_the_billing_activity(signed_in, upstream):
    html = signed_in.get("/billing/").content.decode()
    assert '<a href="/activity/?kind=billing">Every payment attempt, payment method and credit change</a>' in html
