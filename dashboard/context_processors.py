"""Layout context. No upstream call happens here: the account summary was started by the view's
decorator and is only waited for (and only if the template shows it)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from accounts import session as account_session

THEMES = ("system", "light", "dark")
THEME_COOKIE = "dashboard_theme"


def theme_of(request: HttpRequest) -> str:
    value = request.COOKIES.get(THEME_COOKIE, "system")
    return value if value in THEMES else "system"


def ui(request: HttpRequest) -> dict[str, object]:
    return {
        "theme": theme_of(request),
        "themes": THEMES,
        "signed_in_account": account_session.account(request.session) if hasattr(request, "session") else None,
        "account_summary": getattr(request, "account_summary", None),
        "sandbox_enabled": settings.SANDBOX_ENABLED,
    }
