"""Billing test helpers: reading the sandbox's own records to compare with what pages show."""

from __future__ import annotations

import pytest


@pytest.fixture
def sandbox_invoices():
    """``sandbox_invoices("teamadmin")``: that demo account's invoices in the sandbox, newest first."""
    from sandbox.demo import demo_account
    from sandbox.models import Invoice
    from sandbox.seed import user_id_for

    def _invoices(key: str):
        return list(Invoice.objects.filter(user_id=user_id_for(demo_account(key))).order_by("-billing_month"))

    return _invoices


@pytest.fixture
def stable_pdfs(monkeypatch):
    """The sandbox stamps each PDF with the time it was made; serve each invoice's first rendering
    again, so the bytes the dashboard streams can be compared with the upstream's."""
    from sandbox.views import files as sandbox_files

    made: dict[str, bytes] = {}
    original = sandbox_files.invoice_pdf

    def once(invoice):
        if invoice.id not in made:
            made[invoice.id] = original(invoice)
        return made[invoice.id]

    monkeypatch.setattr(sandbox_files, "invoice_pdf", once)
    return made
