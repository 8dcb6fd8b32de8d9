"""Layout context. No upstream call happens here: the account banner's reads were made in the page's
one gather (named before the view by ``AccountBannerMiddleware``, or by the catalog view)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from accounts import session as account_session
from dashboard.preferences import THEMES, theme_of


def ui(request: HttpRequest) -> dict[str, object]:
    return {
        "theme": theme_of(request),
        "themes": THEMES,
        "signed_in_account": account_session.account(request.session) if hasattr(request, "session") else None,
        "account_summary": getattr(request, "alongside", None),  # the banner; its ``value`` is the summary
        "sandbox_enabled": settings.SANDBOX_ENABLED,
    }
