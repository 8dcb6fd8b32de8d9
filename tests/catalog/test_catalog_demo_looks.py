"""The catalog as the demo shows it: addon logos allowed by the CSP, and a real description per plan."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

STRICT_IMG_SRC = "img-src 'self' https: data:"


def _img_src(policy: str) -> str:
    return next(directive for directive in policy.split("; ") if directive.startswith("img-src"))


def test_its_csp_allows_the_sandbox_logo_origin_and_nothing_wider(upstream, client):
    response = client.get("/catalog/")
    origin = upstream.url  # the live sandbox: http://localhost:<port>
    assert origin.startswith("http://")
    assert _img_src(response["Content-Security-Policy"]) == f"{STRICT_IMG_SRC} {origin}"
    assert f'src="{origin}/sandbox/files/logos/postgresql.svg"' in response.content.decode()
    assert " http: " not in response["Content-Security-Policy"] + " "


def test_its_csp_adds_nothing_for_an_https_upstream(client, settings):
    settings.SCALINGO_API_URL = "https://api.osc-fr1.scalingo.com"
    assert _img_src(client.get("/signin/")["Content-Security-Policy"]) == STRICT_IMG_SRC


def test_production_keeps_the_strict_csp_even_with_an_http_upstream():
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dashboard.settings.production",
        "DJANGO_SECRET_KEY": "p" * 60,
        "DJANGO_ALLOWED_HOSTS": "dash.example.com",
        "SCALINGO_AUTH_URL": "http://127.0.0.1:9/sandbox/auth",
        "SCALINGO_API_URL": "http://127.0.0.1:9/sandbox/api/osc-fr1",
        "SCALINGO_BILLING_URL": "http://127.0.0.1:9/sandbox/billing",
        "SESSION_ENCRYPTION_KEYS": "vFh3zJr2m9oXnQm1dX0v9s8e6rG8xq6V7b0c3yQ2e1A=",
        "SANDBOX_ENABLED": "false",
    }
    script = "import django; django.setup(); from dashboard.middleware import content_security_policy as c; print(c())"
    policy = subprocess.run(
        [sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    assert _img_src(policy) == STRICT_IMG_SRC


def test_every_plan_has_its_own_description(upstream, client):
    page = client.get("/catalog/").content.decode()
    descriptions = re.findall(r'<div class="plan-description small muted">(.*?)</div>', page, re.S)
    assert len(descriptions) == 13  # every plan of the sandbox's five providers
    assert len(set(descriptions)) == len(descriptions)
    assert "ideal to <strong>try things out</strong>" not in page
    assert "4 GB of memory on a <strong>dedicated</strong> instance" in page


@pytest.mark.browser
def test_the_logos_load_in_chromium_without_csp_errors(upstream, page, settings):
    # As in the demo, the sandbox is another origin than the dashboard (127.0.0.1 vs localhost).
    sandbox_origin = upstream.url.replace("localhost", "127.0.0.1")
    assert sandbox_origin != upstream.url
    settings.SCALINGO_API_URL = f"{sandbox_origin}/sandbox/api/osc-fr1"
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.goto(f"{upstream.url}/catalog/")
    logos = page.locator("img.provider-logo")
    assert logos.count() == 5  # one per provider: PostgreSQL, MySQL, Redis, Logtrail, Mailpost
    for index in range(logos.count()):
        logo = logos.nth(index)
        assert logo.get_attribute("src").startswith(f"{sandbox_origin}/sandbox/files/logos/")
        logo.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete", arg=logo.element_handle())
        assert logo.evaluate("img => img.naturalWidth") > 0, logo.get_attribute("src")
    assert not [line for line in console if "Content Security Policy" in line], console
