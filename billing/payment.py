"""Where the account stands with its payments, and what the person can do about it.

The platform's rules ("Manage your Account"): a failed payment leaves the invoice unpaid; an invoice
unpaid for 5 days suspends the account; a newly added payment method (or enough prepaid credit)
pays the unpaid invoices at once and lifts the suspension. Payment methods and credit are set up on
the payment providers' pages through the platform's own dashboard: the public API has no write for
them (upstream-api.md §3.3), so this dashboard links there for the next step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from dashboard import billing_calendar
from dashboard.money import Money
from dashboard.upstream.billing import BillingProfile, Invoice
from dashboard.upstream.types import User

PLATFORM_BILLING_URL = "https://dashboard.scalingo.com/billing"
UNPAID_BEFORE_SUSPENSION = timedelta(days=5)

OK, UNPAID, SUSPENDED = "ok", "unpaid", "suspended"
CARD, SEPA, PAYPAL, NO_METHOD = "card", "sepa", "paypal", "none"


@dataclass(frozen=True)
class PaymentSituation:
    state: str  # OK, UNPAID (a payment failed, not suspended yet) or SUSPENDED
    method: str | None  # CARD, SEPA, PAYPAL, NO_METHOD; None when the profile could not be read
    failed: tuple[Invoice, ...]
    suspended_at: datetime | None
    # When an unpaid invoice suspends the account; None once that moment has passed or is unknown.
    suspension_deadline: datetime | None
    profile: BillingProfile | None
    card_expired: bool = False

    @property
    def unpaid_total(self) -> Money:
        return sum((i.total_price_with_vat for i in self.failed), Money.zero())

    @property
    def needs_action(self) -> bool:
        return self.state != OK


def payment_method_kind(profile: BillingProfile | None) -> str:
    if profile is not None and profile.stripe is not None and profile.stripe.is_sepa:
        return SEPA
    if profile is not None and profile.stripe is not None and profile.stripe.is_card:
        return CARD
    if profile is not None and (profile.payment_method == "paypal" or profile.has_paypal):
        return PAYPAL
    return NO_METHOD


def suspension_deadline(failed: Iterable[Invoice], *, at: datetime | None = None) -> datetime | None:
    """5 days after the oldest unpaid invoice was issued, if that is still ahead."""
    issued = [i.created_at for i in failed if i.created_at is not None]
    if not issued:
        return None
    deadline = min(issued) + UNPAID_BEFORE_SUSPENSION
    return deadline if deadline > (at or billing_calendar.now()) else None


def payment_situation(
    *,
    user: User,
    invoices: Iterable[Invoice],
    profile: BillingProfile | None,
    profile_known: bool = True,
    at: datetime | None = None,
) -> PaymentSituation:
    failed = tuple(i for i in invoices if i.state == "failed")
    if user.is_suspended:
        state = SUSPENDED
    elif failed:
        state = UNPAID
    else:
        state = OK
    card_expired = False
    if profile is not None and profile.stripe is not None and profile.stripe.card_exp is not None:
        card_expired = profile.stripe.card_exp < billing_calendar.running_month(at)
    return PaymentSituation(
        state=state,
        method=payment_method_kind(profile) if profile_known else None,
        failed=failed,
        suspended_at=user.suspended_at,
        suspension_deadline=suspension_deadline(failed, at=at) if state == UNPAID else None,
        profile=profile,
        card_expired=card_expired,
    )
