"""Whether each billing operation's payment went through (issue 10 #6).

In order: what the operation itself says (a ``status``), else the state of its invoice (the
platform's current word on that payment), else the platform's ``payment_attempt`` events for it.
The attempts also tell how many charges failed before the outcome. An attempt belongs to the
newest operation of the same amount created before it (within a month: the platform retries a
failed charge for 5 days), so two months with the same total do not mix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from dashboard.upstream.billing import BillingOperation, Invoice
from dashboard.upstream.events import Event, PaymentAttemptData

# How long after an operation its payment may still be attempted (shorter than a month, so the
# next month's operation of the same amount keeps its own attempts).
ATTEMPT_WINDOW = timedelta(days=27)
# Clocks of the billing and events services may differ a little.
CLOCK_SLACK = timedelta(hours=1)
_NEVER = datetime.min.replace(tzinfo=UTC)  # sort key for a missing time (filtered out before sorting)

_INVOICE_OUTCOMES = {"paid": "paid", "failed": "failed", "new": "pending"}


@dataclass(frozen=True)
class Outcome:
    status: str  # "paid", "failed" or "pending"
    failed_attempts: int = 0
    source: str = "operation"  # "operation", "events" or "invoice"


def _attempts_by_operation(
    operations: list[BillingOperation], attempts: Iterable[Event]
) -> dict[str, list[tuple[Event, PaymentAttemptData]]]:
    found: dict[str, list[tuple[Event, PaymentAttemptData]]] = {}
    dated = [(op, op.created_at, op.amount.rounded()) for op in operations if op.created_at is not None]
    for event in attempts:
        data = event.data
        if not isinstance(data, PaymentAttemptData) or data.amount is None or event.created_at is None:
            continue
        amount = data.amount.rounded()
        owners = [
            op
            for op, created_at, op_amount in dated
            if op_amount == amount and created_at - CLOCK_SLACK <= event.created_at <= created_at + ATTEMPT_WINDOW
        ]
        if owners:
            owner = max(owners, key=lambda op: op.created_at or _NEVER)
            found.setdefault(owner.id, []).append((event, data))
    return found


def operation_outcomes(
    operations: Iterable[BillingOperation],
    *,
    attempts: Iterable[Event] = (),
    invoices: Iterable[Invoice] = (),
) -> dict[str, Outcome]:
    """The outcome of each operation that has one to tell, by operation id."""
    ops = list(operations)
    by_operation = _attempts_by_operation(ops, attempts)
    invoice_states = {invoice.id: invoice.state for invoice in invoices}
    outcomes: dict[str, Outcome] = {}
    for op in ops:
        tried = sorted(by_operation.get(op.id, []), key=lambda pair: pair[0].created_at or _NEVER)
        failures = sum(1 for _, data in tried if data.outcome == "failed")
        invoice_state = invoice_states.get(op.invoice_id or "")
        if op.status in _INVOICE_OUTCOMES:
            outcomes[op.id] = Outcome(_INVOICE_OUTCOMES[op.status], failures, "operation")
        elif invoice_state in _INVOICE_OUTCOMES:
            outcomes[op.id] = Outcome(_INVOICE_OUTCOMES[invoice_state], failures, "invoice")
        elif tried:
            outcomes[op.id] = Outcome(tried[-1][1].outcome, failures, "events")
    return outcomes
