"""End to end through nginx (TLS) in front of gunicorn with production settings, at the root and
on a sub-path: sign-in, a page, form posts, htmx redirects, links, static files and cookies."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.infra

URL_ATTRIBUTE = re.compile(r'\b(href|src|action|hx-get|hx-post|hx-put|hx-delete|hx-patch)="([^"]*)"')


@pytest.fixture(params=["", "/dash"], ids=["root", "subpath"])
def site(request, site_factory):
    return site_factory(prefix=request.param)


def set_cookies(response) -> dict[str, dict[str, str]]:
    """Cookie name → its attributes (lower-case names; flags map to "")."""
    cookies = {}
    for header in response.headers.get_list("set-cookie"):
        name_value, *attributes = (part.strip() for part in header.split(";"))
        cookies[name_value.split("=", 1)[0]] = {
            key.lower(): value for key, _, value in (attribute.partition("=") for attribute in attributes)
        }
    return cookies


def test_it_sends_a_visitor_to_sign_in_and_back_to_the_page_asked_for(site):
    with site.client() as client:
        page = client.get(site.path("/"))
        assert page.status_code == 302
        location = urlsplit(page.headers["location"])
        assert location.path == site.path("/signin/")
        assert parse_qs(location.query)["next"] == [site.path("/")]

        signed_in = site.sign_in(client, next_url=site.path("/"))
        assert signed_in.status_code == 302, signed_in.text[:2000]
        assert signed_in.headers["location"] == site.path("/")

        overview = client.get(site.path("/"))
        assert overview.status_code == 200
        assert "demo-teamadmin" in overview.text
        assert "You are signed in." in overview.text


def test_it_sets_secure_cookies_on_the_site_path(site):
    with site.client() as client:
        response = site.sign_in(client)
        assert response.status_code == 302
        cookie = set_cookies(response)["dashboard_session"]
        assert "secure" in cookie
        assert "httponly" in cookie
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == (site.prefix or "/")
        csrf = next(c for c in client.cookies.jar if c.name == "csrftoken")
        assert csrf.secure
        assert csrf.path == (site.prefix or "/")
        assert response.headers["strict-transport-security"].startswith("max-age=")


def test_every_link_form_and_asset_stays_on_the_site(site):
    with site.client() as client:
        site.sign_in(client)
        overview = client.get(site.path("/"))
        assert overview.status_code == 200
        urls = [value for _, value in URL_ATTRIBUTE.findall(overview.text)]
        local = [url for url in urls if url.startswith("/")]
        assert local, "the page has links"
        outside = [url for url in local if not url.startswith(site.path("/"))]
        assert outside == [], f"paths outside {site.prefix or '/'}: {outside}"

        assets = re.findall(r'<(?:link|script)[^>]+(?:href|src)="([^"]+)"', overview.text)
        assert any(asset.endswith(".css") for asset in assets)
        assert any(asset.endswith(".js") for asset in assets)
        for asset in assets:
            response = client.get(asset, headers={"Accept-Encoding": "gzip"})
            assert response.status_code == 200, asset
            assert response.headers.get("cache-control", "").startswith("max-age="), asset

        nav = re.findall(r'<nav class="sidebar".*?</nav>', overview.text, re.S)
        assert nav, "the signed-in layout has the account navigation"
        for link in re.findall(r'href="([^"]+)"', nav[0]):
            response = client.get(link)
            assert response.status_code == 200, (link, response.status_code, response.text[:500])
            paths = [url for _, url in URL_ATTRIBUTE.findall(response.text) if url.startswith("/")]
            outside = [url for url in paths if not url.startswith(site.path("/"))]
            assert outside == [], f"{link}: paths outside {site.prefix or '/'}: {outside}"


def test_it_switches_the_theme_with_a_form_post(site):
    with site.client() as client:
        site.sign_in(client)
        response = site.post(client, "/preferences/theme/", {"theme": "dark", "next": site.path("/")})
        assert response.status_code == 302, response.text[:1000]
        assert response.headers["location"] == site.path("/")
        page = client.get(site.path("/"))
        assert 'data-theme="dark"' in page.text

        without_next = site.post(client, "/preferences/theme/", {"theme": "dark"})
        assert without_next.headers["location"] == site.path("/")

        htmx = site.post(client, "/preferences/theme/", {"theme": "light"}, **{"HX-Request": "true"})
        assert htmx.status_code == 204
        assert 'data-theme="light"' in client.get(site.path("/")).text


def test_it_switches_the_language_with_a_form_post(site):
    with site.client() as client:
        site.sign_in(client)
        response = site.post(client, "/i18n/language/", {"language": "fr", "next": site.path("/")})
        assert response.status_code == 302, response.text[:1000]
        assert response.headers["location"] == site.path("/")
        assert set_cookies(response)["dashboard_language"]["path"] == (site.prefix or "/")
        page = client.get(site.path("/"))
        assert '<html lang="fr"' in page.text


def test_it_refuses_a_form_post_from_another_origin(site):
    with site.client() as client:
        site.sign_in(client)
        response = site.post(client, "/preferences/theme/", {"theme": "dark"}, Origin="https://evil.example")
        assert response.status_code == 403


def test_it_answers_htmx_without_a_session_with_a_redirect_header(site):
    with site.client() as client:
        current = f"{site.origin}{site.path('/')}"
        response = client.get(site.path("/"), headers={"HX-Request": "true", "HX-Current-URL": current})
        assert response.headers["hx-redirect"].startswith(site.path("/signin/"))
        assert parse_qs(urlsplit(response.headers["hx-redirect"]).query)["next"] == [site.path("/")]


def test_it_signs_out_back_to_the_sign_in_page(site):
    with site.client() as client:
        site.sign_in(client)
        response = site.post(client, "/signout/", {})
        assert response.status_code == 302
        assert response.headers["location"] == site.path("/signin/")
        assert client.get(site.path("/")).status_code == 302


def test_plain_http_goes_to_https_except_the_probes(site):
    import httpx

    with httpx.Client(base_url=site.nginx.http_url) as client:
        response = client.get(site.path("/"))
        assert response.status_code == 301
        location = urlsplit(response.headers["location"])
        assert location.scheme == "https"
        assert location.path == site.path("/")
        assert client.get(site.path("/healthz")).status_code == 200
