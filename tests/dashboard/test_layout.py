"""The shared layout, health probes, error pages and preferences."""

from __future__ import annotations

import logging

import pytest

from dashboard.middleware import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_answers_healthz_without_the_upstream(client, settings):
    settings.SCALINGO_AUTH_URL = "http://127.0.0.1:9"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_is_ready_when_the_upstream_answers(upstream, client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"regional": True, "auth": True}


def test_it_is_not_ready_when_the_upstream_is_down(client, settings):
    settings.SCALINGO_AUTH_URL = "http://127.0.0.1:9"
    settings.SCALINGO_API_URL = "http://127.0.0.1:9"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_it_shows_a_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"Traceback" not in response.content


def test_it_shows_a_friendly_500_that_leaks_nothing(client, settings, monkeypatch):
    from dashboard import views

    def broken(request):
        raise RuntimeError("secret internal detail tk-us-should-not-leak")

    monkeypatch.setattr(views, "healthz", broken)
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    client.raise_request_exception = False
    from django.urls import clear_url_caches

    clear_url_caches()
    import importlib

    import dashboard.urls

    importlib.reload(dashboard.urls)
    try:
        response = client.get("/healthz")
    finally:
        monkeypatch.undo()
        importlib.reload(dashboard.urls)
        clear_url_caches()
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"secret internal detail" not in response.content
    assert b"tk-us-should-not-leak" not in response.content


def test_it_shows_the_layout_to_a_signed_in_person(signed_in):
    response = signed_in.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#main"' in html and "Skip to content" in html
    assert "demo-ordinary" in html
    assert 'action="/signout/"' in html
    assert 'aria-current="page"' in html
    assert 'id="loading-bar"' in html
    assert "django_htmx/htmx-2.min.js" in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


def test_it_lists_every_account_section_in_the_navigation(signed_in):
    from django.urls import reverse

    from dashboard.templatetags.dashboard import NAVIGATION

    html = signed_in.get("/").content.decode()
    for name, label in NAVIGATION:
        assert f'href="{reverse(name)}"' in html, f"{name} is missing from the navigation"
        assert str(label) in html


def test_it_sends_security_headers(client, settings):
    settings.SCALINGO_API_URL = "https://api.osc-fr1.scalingo.com"
    response = client.get("/signin/")
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


def test_it_carries_the_request_id_to_the_response_and_the_logs(client, caplog):
    with caplog.at_level(logging.INFO, logger="dashboard.requests"):
        response = client.get("/signin/", HTTP_X_REQUEST_ID="proxy-id-1234567")
    assert response["X-Request-ID"] == "proxy-id-1234567"
    assert any(getattr(r, "request_id", None) == "proxy-id-1234567" for r in caplog.records)
    fresh = client.get("/signin/", HTTP_X_REQUEST_ID="bad id with spaces")
    assert fresh["X-Request-ID"] != "bad id with spaces"


def test_it_remembers_the_theme_without_javascript(client):
    response = client.post("/preferences/theme/", {"theme": "dark", "next": "/signin/"})
    assert response.status_code == 302
    assert response["Location"] == "/signin/"
    assert client.cookies["dashboard_theme"].value == "dark"
    page = client.get("/signin/")
    assert b'data-theme="dark"' in page.content
    assert b'<option value="dark" selected>' in page.content


def test_it_switches_the_theme_under_htmx_without_a_reload(client):
    response = client.post("/preferences/theme/", {"theme": "light"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert client.cookies["dashboard_theme"].value == "light"


@pytest.mark.parametrize("bad", ["purple", ""])
def test_it_falls_back_to_the_system_theme(client, bad):
    client.post("/preferences/theme/", {"theme": bad})
    assert client.cookies["dashboard_theme"].value == "system"
    client.cookies["dashboard_theme"] = "<script>"
    assert b'data-theme="system"' in client.get("/signin/").content


def test_it_never_redirects_off_site_after_a_preference(client):
    response = client.post("/preferences/theme/", {"theme": "dark", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_it_switches_to_french(client):
    response = client.post("/i18n/language/", {"language": "fr", "next": "/signin/"})
    assert response.status_code == 302
    page = client.get("/signin/")
    assert b'lang="fr"' in page.content
    assert b"Se connecter" in page.content
    assert b"Aller au contenu" in page.content


def test_it_shows_the_suspension_banner(signed_in_as):
    client = signed_in_as("suspended")
    html = client.get("/").content.decode()
    assert "Your account is suspended." in html
    ordinary_banner = "Your account is suspended."
    assert ordinary_banner in html


def test_it_shows_no_suspension_banner_for_a_normal_account(signed_in):
    assert b"Your account is suspended." not in signed_in.get("/").content
