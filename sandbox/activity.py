"""Account events (contract §3.7), written as the sandbox's state changes.

``type_data`` has the fields go-scalingo reads for each type (``events_*.go``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from sandbox.models import App, BillingProfile, Event, Invoice, User


def event_record(user: User, type_: str, *, app: App | None = None, **type_data: Any) -> None:
    Event.objects.create(
        user=user,
        type=type_,
        type_data=type_data,
        created_at=timezone.now(),
        app_id=app.id if app else "",
        app_name=app.name if app else "",
    )


def remote_ip(request: HttpRequest) -> str | None:
    """The address the request came from, as the platform sees it (the caller's own address)."""
    return request.META.get("REMOTE_ADDR")


def payment_method_data(profile: BillingProfile) -> dict[str, Any]:
    """go ``EventAddPaymentMethodTypeData``: a ``billing.Profile`` with the card's brand, last
    four digits and expiry (a SEPA mandate gives its last four digits and no expiry)."""
    stripe = profile.stripe or {}
    card = {
        "brand": stripe.get("default_card_brand") or ("SEPA" if stripe.get("sepa_last4") else ""),
        "last4": stripe.get("default_card_last4") or stripe.get("sepa_last4") or "",
        "exp": stripe.get("default_card_exp") or "",
    }
    return {
        "company": profile.company,
        "vat_number": profile.vat_number,
        "payment_method_type": profile.payment_method or "",
        "stripe": card if profile.payment_method == "stripe" else {"brand": "", "last4": "", "exp": ""},
    }


def attempt_method(profile: BillingProfile | None) -> str:
    """How an invoice is charged: ``credit`` for PayPal prepaid credit, ``sepa`` or ``card``."""
    if profile is None or profile.payment_method == "paypal":
        return "credit"
    if (profile.stripe or {}).get("sepa_last4"):
        return "sepa"
    return "card"


def invoice_amount(invoice: Invoice) -> float:
    return float((Decimal(invoice.total_price_with_vat) / 100).quantize(Decimal("0.01")))
