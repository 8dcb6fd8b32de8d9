"""Profile page: attributes in words, in-place edits, newsletter, language and theme."""

from __future__ import annotations

import re

import pytest

from tests.accounts.conftest import AUTH, FAILURE_TEXT, plain_status, revoke_tokens

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_shows_the_profile_page(signed_in, upstream):
    response = signed_in.get("/profile/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert "demo-ordinary" in html
    assert "Member since" in html
    assert "Apps you can create during the free trial" in html
    assert "Saved in your account on the platform" in html


def test_it_shows_the_inline_edit_form_for_htmx(signed_in, upstream):
    response = signed_in.get("/profile/fields/username/?edit=1&page=profile", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'name="username"' in html
    assert 'value="demo-ordinary"' in html
    assert "data-cancel" in html


def test_it_shows_the_read_view_again_on_cancel(signed_in, upstream):
    response = signed_in.get("/profile/fields/username/?page=profile", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert 'name="username"' not in html
    assert "demo-ordinary" in html


def test_it_handles_an_edit_link_without_js(signed_in, upstream):
    response = signed_in.get("/profile/fields/username/?edit=1&page=profile")
    assert response.status_code == 302
    assert response["Location"] == "/profile/?edit=username#field-username"
    page = signed_in.get("/profile/?edit=username").content.decode()
    assert 'name="username"' in page
    assert 'value="demo-ordinary"' in page


def test_it_saves_a_username_in_place_with_htmx(signed_in, upstream):
    response = signed_in.post(
        "/profile/fields/username/", {"username": "ordinary-renamed", "page": "profile"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "ordinary-renamed" in html
    assert "Username saved." in html
    assert 'name="username"' not in html
    # The header's name is swapped too, out of band.
    assert re.search(
        r'<span class="who" id="signed-in-as" hx-swap-oob="true">.*<strong>ordinary-renamed</strong>', html
    )
    assert len(upstream.calls(route="/v1/users/account", method="PUT")) == 1
    # The layout and later pages see the new name at once (session identity and cache updated).
    assert "ordinary-renamed" in signed_in.get("/profile/").content.decode()


def test_it_saves_a_field_with_a_plain_post(signed_in, upstream):
    response = signed_in.post("/profile/fields/fullname/", {"fullname": "Ada Lovelace", "page": "profile"})
    assert response.status_code == 302
    assert response["Location"] == "/profile/#field-fullname"
    page = signed_in.get("/profile/").content.decode()
    assert "Ada Lovelace" in page
    assert "Full name saved." in page


def test_it_handles_a_taken_username_from_the_upstream(signed_in, upstream):
    response = signed_in.post(
        "/profile/fields/username/", {"username": "demo-twofa", "page": "profile"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This username is already taken. Choose another one." in html
    assert 'value="demo-twofa"' in html  # what was typed stays
    assert 'class="field-errors"' in html


def test_it_handles_a_taken_username_without_js(signed_in, upstream):
    response = signed_in.post("/profile/fields/username/", {"username": "demo-twofa", "page": "profile"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "<html" in html
    assert "This username is already taken. Choose another one." in html
    assert 'value="demo-twofa"' in html


def test_it_handles_bad_input_before_calling_the_upstream(signed_in, upstream):
    response = signed_in.post(
        "/profile/fields/username/", {"username": "Bad Name!", "page": "profile"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "lower-case letters" in html
    assert 'value="Bad Name!"' in html
    assert upstream.calls(route="/v1/users/account") == []


def test_it_handles_an_unknown_field(signed_in, upstream):
    assert signed_in.post("/profile/fields/password/", {"password": "x"}).status_code == 404


@pytest.mark.parametrize("kind", ["404", "409", "429", "500", "timeout", "malformed"])
def test_it_handles_upstream_failures_on_save(signed_in, upstream, failing, kind):
    failing("dashboard.upstream.users.user_update", kind)
    data = {"company": "Typed Corp", "page": "profile"}
    htmx = signed_in.post("/profile/fields/company/", data, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200
    html = htmx.content.decode()
    assert "<html" not in html
    assert FAILURE_TEXT[kind] in html.lower()
    assert 'value="Typed Corp"' in html
    plain = signed_in.post("/profile/fields/company/", data)
    assert plain.status_code == plain_status(kind)
    assert "<html" in plain.content.decode()
    assert 'value="Typed Corp"' in plain.content.decode()


def test_it_handles_a_real_upstream_429_and_500(signed_in, upstream, fault):
    fault("429", f"{AUTH}/users/account")
    response = signed_in.post(
        "/profile/fields/location/", {"location": "Lyon", "page": "profile"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "too many requests" in response.content.decode().lower()
    fault("500", f"{AUTH}/users/account")
    response = signed_in.post("/profile/fields/location/", {"location": "Lyon", "page": "profile"})
    assert response.status_code == 503
    assert "cannot be reached right now" in response.content.decode()


def test_it_handles_a_401_by_sending_htmx_to_sign_in(signed_in, upstream):
    revoke_tokens("demo-ordinary")
    response = signed_in.post(
        "/profile/fields/location/", {"location": "Lyon", "page": "profile"}, HTTP_HX_REQUEST="true"
    )
    assert response.headers["HX-Redirect"].startswith("/signin/")
    assert signed_in.get("/profile/").status_code == 302


def test_it_saves_the_newsletter_choice(signed_in, upstream):
    response = signed_in.post("/profile/newsletter/", {"email_newsletter": "on"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "You are subscribed to the newsletter." in html
    assert "You receive the Scalingo newsletter." in html
    response = signed_in.post("/profile/newsletter/", {})
    assert response.status_code == 302
    assert "You are unsubscribed from the newsletter." in signed_in.get("/profile/").content.decode()


@pytest.mark.parametrize("kind", ["429", "500"])
def test_it_handles_upstream_failures_on_newsletter(signed_in, upstream, failing, kind):
    failing("dashboard.upstream.users.user_update", kind)
    response = signed_in.post("/profile/newsletter/", {"email_newsletter": "on"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert FAILURE_TEXT[kind] in response.content.decode().lower()
    assert signed_in.post("/profile/newsletter/", {"email_newsletter": "on"}).status_code == plain_status(kind)


def test_it_keeps_preferences_upstream_and_applies_them_at_once(signed_in, upstream):
    response = signed_in.post("/profile/preferences/", {"language": "fr", "theme": "dark"})
    assert response.status_code == 302
    assert response.cookies["dashboard_language"].value == "fr"
    assert response.cookies["dashboard_theme"].value == "dark"
    calls = upstream.calls(route="/v1/users/account", method="PUT")
    assert len(calls) == 1
    page = signed_in.get("/profile/").content.decode()
    assert '<html lang="fr" data-theme="dark">' in page
    assert "Langue et thème enregistrés dans votre compte" in page


def test_it_refreshes_the_page_after_preferences_with_htmx(signed_in, upstream):
    response = signed_in.post("/profile/preferences/", {"language": "en", "theme": "light"}, HTTP_HX_REQUEST="true")
    assert response.headers["HX-Refresh"] == "true"
    assert response.cookies["dashboard_theme"].value == "light"


def test_it_keeps_preferences_locally_when_the_upstream_refuses_them(signed_in, upstream, monkeypatch):
    from dashboard.upstream import errors

    def refuse(**kwargs):
        raise errors.ValidationFailed({"preferences": ["is not a known field"]})

    monkeypatch.setattr("dashboard.upstream.users.user_update", refuse)
    response = signed_in.post("/profile/preferences/", {"language": "en", "theme": "dark"})
    assert response.cookies["dashboard_theme"].value == "dark"
    assert "saved in this browser (the platform does not keep them)" in signed_in.get("/profile/").content.decode()


def test_it_handles_bad_preferences(signed_in, upstream):
    response = signed_in.post("/profile/preferences/", {"language": "xx", "theme": "neon"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert "dashboard_theme" not in response.cookies


def test_it_shows_the_profile_in_french(signed_in, upstream):
    signed_in.cookies["dashboard_language"] = "fr"
    html = signed_in.get("/profile/").content.decode()
    assert "Informations personnelles" in html
    assert "Membre depuis" in html
