"""The one switch between a whole page and the fragment htmx swaps (``dashboard.htmx``)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import translation
from django_htmx.middleware import HtmxDetails

from dashboard import htmx
from dashboard.upstream import errors


def request_of(kind: str):
    headers = {
        "plain": {},
        "htmx": {"HX-Request": "true"},
        "history": {"HX-Request": "true", "HX-History-Restore-Request": "true"},
    }[kind]
    request = RequestFactory().get("/billing/invoices/", headers=headers)
    request.htmx = HtmxDetails(request)
    return request


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("plain", "billing/invoices.html"),
        ("htmx", "billing/invoices.html#invoice-results"),
        # Restoring history replaces the whole body: it needs the page.
        ("history", "billing/invoices.html"),
    ],
)
def test_it_names_the_page_or_the_fragment(kind, expected):
    assert htmx.template(request_of(kind), "billing/invoices.html", "invoice-results") == expected


def test_a_page_without_a_fragment_is_always_the_page():
    assert htmx.template(request_of("htmx"), "dashboard/overview.html", None) == "dashboard/overview.html"


def test_a_request_without_htmx_details_is_plain():
    request = RequestFactory().get("/", headers={"HX-Request": "true"})  # no HtmxMiddleware ran
    assert htmx.wants_fragment(request) is False
    assert htmx.is_htmx(request) is False


@pytest.mark.parametrize(("language", "text"), [("en", "Nothing was changed."), ("fr", "Rien n’a été modifié.")])
def test_it_renders_only_the_fragment_for_htmx(language, text):
    with translation.override(language):
        response = htmx.render(
            request_of("htmx"),
            "errors/upstream.html",
            {"error": errors.ServerError()},
            fragment="upstream-error",
            status=503,
        )
    body = response.content.decode()
    assert response.status_code == 503
    assert text in body
    assert '<div class="error-box" role="alert">' in body
    assert "<html" not in body
    assert "<title>" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["plain", "history"])
def test_it_renders_the_whole_page_otherwise(kind):
    request = request_of(kind)
    request.session = {}
    with translation.override("en"):
        response = htmx.render(
            request, "errors/upstream.html", {"error": errors.ServerError()}, fragment="upstream-error", status=503
        )
    body = response.content.decode()
    assert response.status_code == 503
    assert "<html" in body
    assert "<title>The platform is not answering" in body
    assert "Nothing was changed." in body


def test_it_redirects_htmx_with_hx_redirect():
    response = htmx.redirect(request_of("htmx"), "/billing/")
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/billing/"
    assert "Location" not in response


def test_it_redirects_a_plain_request_with_a_302():
    response = htmx.redirect(request_of("plain"), "/billing/")
    assert response.status_code == 302
    assert response["Location"] == "/billing/"
    assert "HX-Redirect" not in response
