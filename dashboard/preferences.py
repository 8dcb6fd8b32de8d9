"""Language and theme, remembered in this browser's cookies (and upstream, by the Profile page)."""

from __future__ import annotations

from typing import Literal, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse

ONE_YEAR = 365 * 24 * 3600
THEMES = ("system", "light", "dark")
THEME_COOKIE = "dashboard_theme"


def theme_of(request: HttpRequest) -> str:
    value = request.COOKIES.get(THEME_COOKIE, "system")
    return value if value in THEMES else "system"


def remember(request: HttpRequest, response: HttpResponse, *, language: str | None, theme: str | None) -> None:
    """Set the cookies the pages are rendered with, scoped like the session (sub-path aware)."""
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=ONE_YEAR,
            path=settings.LANGUAGE_COOKIE_PATH,
            samesite=cast(Literal["Lax", "Strict", "None"] | None, settings.LANGUAGE_COOKIE_SAMESITE),
            secure=request.is_secure(),
        )
    if theme in THEMES:
        response.set_cookie(
            THEME_COOKIE,
            theme,
            max_age=ONE_YEAR,
            path=settings.SESSION_COOKIE_PATH,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )


def from_user_preferences(preferences: dict[str, object] | None) -> tuple[str | None, str | None]:
    """(language, theme) kept upstream in ``user.preferences``, when they are ones we know."""
    if not preferences:
        return None, None
    locale = preferences.get("locale")
    theme = preferences.get("theme")
    language = locale[:2] if isinstance(locale, str) else None
    return language, theme if isinstance(theme, str) else None


def browser_has_chosen(request: HttpRequest) -> tuple[bool, bool]:
    """(language, theme): whether this browser already holds a choice of its own (the footer's
    selects, before or after sign-in), which the account's stored preferences must not override."""
    return settings.LANGUAGE_COOKIE_NAME in request.COOKIES, THEME_COOKIE in request.COOKIES
