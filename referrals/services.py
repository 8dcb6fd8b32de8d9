"""Where the referrals page gets its data: the stats, the link and a prepared invitation email."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.utils.translation import gettext as _

from accounts.services import current_user
from dashboard.caller import Caller
from dashboard.concurrency import Reads, Results, value
from dashboard.money import Money
from dashboard.upstream import parse, referrals


@dataclass(frozen=True)
class ReferralPage:
    url: str | None
    clicks: int | None
    signups: int | None
    amount_earned: Money
    mailto: str | None


def referral_mailto(url: str) -> str:
    """A ready-to-send invitation email; the person picks the recipients in their mail app."""
    subject = _("An invitation to try Scalingo")
    body = _(
        "Hello,\n\nI host my applications on Scalingo, a platform to deploy and run web apps. "
        "You can create your account with my invitation link:\n\n%(url)s\n"
    ) % {"url": url}
    return "mailto:?" + urlencode({"subject": subject, "body": body}, quote_via=quote)


def referral_reads(*, caller: Caller) -> Reads[ReferralPage]:
    """The stats from ``/account/referrals/stats`` and the user (``user``), read side by side in the
    page's one gather: the link falls back to the user's own."""
    return Reads(
        calls={
            "stats": lambda: referrals.referral_stats(auth=caller.auth),
            "user": lambda: current_user(caller=caller),
        },
        build=referral_page,
    )


def referral_page(results: Results) -> ReferralPage:
    """The page from the reads' results; raises the stats' failure (or the user's, when needed)."""
    stats: referrals.ReferralStats = value(results["stats"])
    url = stats.url
    if url is None:
        url = parse.protocol_relative(value(results["user"]).referral_url)
    return ReferralPage(
        url=url,
        clicks=stats.clicks,
        signups=stats.signups,
        amount_earned=stats.amount_earned,
        mailto=referral_mailto(url) if url else None,
    )
