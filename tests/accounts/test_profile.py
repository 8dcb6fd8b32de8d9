"""Profile page: attributes in words, in-place edits, newsletter, language and theme."""

from __future__ import annotations

import pytest

from sandbox import faults

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
