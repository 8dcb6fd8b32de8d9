"""Referral statistics (§3.5): ``GET REGIONAL /account/referrals/stats``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dashboard.money import Money

from . import parse
from .http import Auth, Host, call


@dataclass(frozen=True)
class ReferralStats:
    clicks: int | None  # None when the platform sent something unreadable: the page shows "—"
    signups: int | None
    amount_earned: Money
    url: str | None


def referral_stats_from(value: Any) -> ReferralStats:
    """``clicks`` may be the string ``"165"`` (§8.1); ``amount_earned`` is float euros. The counts
    are tolerated when odd (the link and the amount are what the page is for)."""
    data = parse.obj(value, "referral_stats")
    return ReferralStats(
        clicks=parse.lenient("referral_stats.clicks", parse.optional_integer, data.get("clicks"), None),
        signups=parse.lenient("referral_stats.signups", parse.optional_integer, data.get("signups"), None),
        amount_earned=parse.money_euros(data.get("amount_earned")),
        url=parse.protocol_relative(data.get("url")),
    )


def referral_stats(*, auth: Auth) -> ReferralStats:
    reply = call("GET", Host.REGIONAL, "/account/referrals/stats", auth=auth)
    return referral_stats_from(parse.root(reply.body, "referral_stats"))
