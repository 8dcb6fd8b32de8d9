"""Where the account stands with its payments, and what the person can do about it.

The platform's rules ("Manage your Account"): a failed payment leaves the invoice unpaid; an invoice
unpaid for 5 days suspends the account; a newly added payment method (or enough prepaid credit)
pays the unpaid invoices at once and lifts the suspension. Payment methods and credit are set up on
the payment providers' pages through the platform's own dashboard: the public API has no write for
them (upstream-api.md §3.3), so this dashboard links there for the next step.

The reads and the write behind it live here too: the billing profile (payment method, card, address)
and the payment operations, each cached per user; a profile save drops what it changes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from dashboard import billing_calendar, readcache
from dashboard.caller import Caller
from dashboard.money import Money
from dashboard.upstream import billing as upstream
from dashboard.upstream.billing import BillingProfile, Invoice
from dashboard.upstream.parse import Page
from dashboard.upstream.types import User

logger = logging.getLogger("dashboard.billing")

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


# Per-user cache -------------------------------------------------------------------------------


def forget(*, caller: Caller) -> None:
    """Drop what a billing profile save changes: the profile, and (a new payment method pays the
    failed invoices and lifts a suspension) the invoice list, each cached invoice and the user."""
    hit = readcache.peek(caller, "invoices")
    cached_invoices = cast("list[upstream.Invoice]", hit[0]) if hit is not None else []
    readcache.forget(caller, "profile", "invoices", "self", *(f"invoice:{invoice.id}" for invoice in cached_invoices))


# Profile ---------------------------------------------------------------------------------------


def billing_profile(*, caller: Caller) -> upstream.BillingProfile | None:
    return readcache.cached(caller, "profile", lambda: upstream.billing_profile_get(auth=caller.auth))


def billing_profile_save(
    *, caller: Caller, profile: upstream.BillingProfile | None, fields: dict[str, Any]
) -> upstream.BillingProfile:
    """Create the profile, or update the existing one, through the BILLING host."""
    try:
        if profile is None:
            saved = upstream.billing_profile_create(auth=caller.auth, fields=fields)
        else:
            saved = upstream.billing_profile_update(auth=caller.auth, profile_id=profile.id, fields=fields)
    finally:
        forget(caller=caller)
    logger.info("billing profile saved", extra={"action": "billing-profile-save", "user_id": caller.user_id})
    return saved


def card_expiry_state(profile: upstream.BillingProfile | None, today: date) -> str | None:
    """``expired``, ``expires_this_month`` or None, for the card of the profile."""
    if profile is None or profile.stripe is None or profile.stripe.card_exp is None:
        return None
    expiry = profile.stripe.card_exp
    if (expiry.year, expiry.month) < (today.year, today.month):
        return "expired"
    if (expiry.year, expiry.month) == (today.year, today.month):
        return "expires_this_month"
    return None


# Operations ------------------------------------------------------------------------------------


def operations_page(*, caller: Caller, page: int, per_page: int) -> Page[upstream.BillingOperation]:
    return readcache.cached(
        caller,
        f"operations:{page}:{per_page}",
        lambda: upstream.billing_operation_list(auth=caller.auth, page=page, per_page=per_page),
    )
