"""The account summary the layout shows on every full page (banners), read in the page's one gather."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from django.http import HttpRequest

from accounts.services import current_user
from billing import invoices as billing_invoices
from billing import payment
from dashboard.caller import Caller
from dashboard.concurrency import Results
from dashboard.upstream.billing import Invoice
from dashboard.upstream.types import User

logger = logging.getLogger("dashboard")


@dataclass(frozen=True)
class AccountSummary:
    """What the layout shows on every page: who is signed in and whether something needs action."""

    user: User
    # Invoices whose payment failed (must be paid before the account is suspended), and new ones
    # waiting for their automatic charge. Empty when the invoices could not be read.
    failed_invoices: tuple[Invoice, ...] = field(default=())
    new_invoices: tuple[Invoice, ...] = field(default=())
    # When the unpaid invoices suspend the account, while that is still ahead.
    suspension_deadline: datetime | None = None


def banner_reads(*, caller: Caller) -> dict[str, Callable[[], Any]]:
    """The user and the invoices, by the names every page gives these reads (so a page that needs
    them too makes each once); both are cached per user for a few seconds."""
    return {
        "user": lambda: current_user(caller=caller),
        "invoices": lambda: billing_invoices.all_invoices(caller=caller),
    }


def account_summary(results: Results) -> AccountSummary | None:
    """The banner from the page's results: none without the user; without the invoices, no alert."""
    user = results.get("user")
    if not isinstance(user, User):
        return None
    invoices = results.get("invoices")
    if isinstance(invoices, list):
        failed, new = billing_invoices.invoices_needing_action(invoices)
    else:
        # The banner is a convenience: the invoices page shows its own error.
        logger.info("account banner without invoices", extra={"error": type(invoices).__name__})
        failed, new = [], []
    return AccountSummary(
        user=user,
        failed_invoices=tuple(failed),
        new_invoices=tuple(new),
        suspension_deadline=None if user.is_suspended else payment.suspension_deadline(failed),
    )


class AccountBanner:
    """Hung on the request before a full page's view (``request.alongside``): its reads join the
    page's one gather (``concurrency.page_gather``), and the layout shows ``value``."""

    def __init__(self, caller: Caller) -> None:
        self.calls = banner_reads(caller=caller)
        self.value: AccountSummary | None = None

    def take(self, results: Results) -> None:
        self.value = account_summary(results)


class BannerRequest(HttpRequest):
    alongside: AccountBanner


def show_banner(request: HttpRequest, caller: Caller) -> None:
    """This full page shows the account banner: its reads join the page's one gather."""
    cast(BannerRequest, request).alongside = AccountBanner(caller)
