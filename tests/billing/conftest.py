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
