"""Every page behind sign-in tells browsers and proxies to keep nothing (back/forward cache included)."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db(transaction=True)


def _signed_in_routes() -> list[str]:
    """Every route whose view is behind ``signin_required``, with sample values in its parameters."""
    routes: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and getattr(pattern.callback, "signin_required", False):
                routes.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns, "")
    return routes


def _sample_path(route: str) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: "1" if m.group(1) == "int" else "email", route)


def test_it_finds_the_signed_in_pages():
    routes = _signed_in_routes()
    for page in ("", "profile/", "authentication/", "ssh-keys/", "api-tokens/"):
        assert page in routes
    assert len(routes) >= 20


def test_every_signed_in_page_is_private_and_not_stored(signed_in, upstream):
    checked = []
    for route in _signed_in_routes():
        path = _sample_path(route)
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = signed_in.get(path, **headers)
            cache_control = response.get("Cache-Control", "")
            assert "no-store" in cache_control and "private" in cache_control, (path, headers, cache_control)
            assert "public" not in cache_control
            checked.append((path, response.status_code))
    assert ("/", 200) in checked and ("/profile/", 200) in checked and ("/api-tokens/", 200) in checked


def test_the_error_page_of_a_signed_in_person_is_not_stored(signed_in, upstream, fault):
    from django.core.cache import cache

    cache.clear()  # the user read at sign-in is reused for a few seconds
    fault("500", "/sandbox/auth/v1/users/self")
    response = signed_in.get("/profile/")
    assert response.status_code == 503
    assert "no-store" in response["Cache-Control"]
