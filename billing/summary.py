"""The account summary the layout shows on every full page (banners), fetched concurrently."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from accounts.services import current_user_future
from billing import invoices, payment
from dashboard.caller import Caller
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


class LazyAccountSummary:
    """Started when the view starts; the layout waits for it only when it renders the banner.

    The user and the invoices are fetched side by side; both are cached per user for a few seconds,
    and the invoices fetch is shared with the page when it needs them too."""

    def __init__(self, caller: Caller) -> None:
        self._user = current_user_future(caller=caller)
        self._invoices = invoices.all_invoices_future(caller=caller)

    @cached_property
    def value(self) -> AccountSummary | None:
        try:
            user = self._user.result(timeout=15)
        except Exception:
            return None
        try:
            failed, new = invoices.invoices_needing_action(self._invoices.result(timeout=15))
        except Exception as exc:
            # The banner is a convenience: the invoices page shows its own error.
            logger.info("account banner without invoices", extra={"error": type(exc).__name__})
            failed, new = [], []
        return AccountSummary(
            user=user,
            failed_invoices=tuple(failed),
            new_invoices=tuple(new),
            suspension_deadline=None if user.is_suspended else payment.suspension_deadline(failed),
        )
