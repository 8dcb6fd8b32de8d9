"""Layout context. No upstream call happens here: the account summary was started before the view
(``AccountBannerMiddleware``, or the catalog view) and is only waited for (and only if the template
shows it)."""

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
        "account_summary": getattr(request, "account_summary", None),
        "sandbox_enabled": settings.SANDBOX_ENABLED,
    }
