"""Every unsafe request to the dashboard needs a CSRF token: enumerated from the URLconf."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.helpers import demo

pytestmark = pytest.mark.django_db(transaction=True)

SAMPLES = {"int": "2024", "slug": "sample", "uuid": str(uuid.uuid4()), "str": "sample", "path": "sample"}


def _routes(patterns=None, prefix: str = ""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _sample_path(route: str) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m.group(1) or "str"], route)


def dashboard_routes() -> list[str]:
    """Every route but the sandbox's (an imitation of the upstream API, which has no CSRF)."""
    return sorted({_sample_path(r) for r in _routes() if not r.startswith("sandbox/")})


def _signed_in_client() -> Client:
    client = Client(enforce_csrf_checks=True)
    token = client.get("/signin/?method=token").cookies["csrftoken"].value
    response = client.post(
        "/signin/", {"method": "token", "api_token": demo("ordinary").api_token, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    return client


def test_it_refuses_every_unsafe_request_without_csrf(upstream):
    routes = dashboard_routes()
    assert {"/signin/", "/signout/", "/preferences/theme/"} <= set(routes)
    anonymous = Client(enforce_csrf_checks=True)
    signed_in = _signed_in_client()
    upstream.clear()
    accepted = []
    for client in (anonymous, signed_in):
        for path in routes:
            for method in ("post", "put", "patch", "delete"):
                for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
                    response = getattr(client, method)(path, {"name": "x"}, **headers)
                    if response.status_code != 403:
                        accepted.append(f"{method.upper()} {path} -> {response.status_code}")
    assert accepted == []
    assert [c for c in upstream.calls() if c["method"] != "GET"] == [], "no write reached the upstream"


def test_it_accepts_an_unsafe_request_with_csrf(upstream):
    client = _signed_in_client()
    token = client.cookies["csrftoken"].value
    response = client.post("/preferences/theme/", {"theme": "dark", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
