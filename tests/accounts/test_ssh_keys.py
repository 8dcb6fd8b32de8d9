"""SSH keys page: list with local SHA256 fingerprints, add, delete with a named confirmation."""

from __future__ import annotations

import pytest

from accounts import sshkeys
from tests.accounts.conftest import AUTH, FAILURE_TEXT, plain_status, revoke_tokens
from tests.accounts.keys_data import ED25519, ED25519_FINGERPRINT, RSA_3072

pytestmark = pytest.mark.django_db(transaction=True)


def _first_key(client):
    from accounts.session import SessionAuth
    from dashboard.upstream.account import key_list

    return key_list(auth=SessionAuth(client.session))[0]


def test_it_shows_the_keys_with_local_fingerprints(signed_in, upstream):
    from sandbox.models import SshKey

    response = signed_in.get("/ssh-keys/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    keys = SshKey.objects.filter(user__username="demo-ordinary")
    assert keys.count() == 2
    for key in keys:
        assert key.name in html
        assert sshkeys.parse(key.content).fingerprint in html
    assert "setup-ssh-linux" in html


def test_it_shows_only_the_keys_fragment_for_htmx(signed_in, upstream):
    response = signed_in.get("/ssh-keys/", HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    assert 'id="keys"' in response.content.decode()


def test_it_adds_a_key_with_htmx(signed_in, upstream):
    response = signed_in.post("/ssh-keys/add/", {"name": "Laptop", "content": ED25519}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "SSH key “Laptop” added." in html
    assert ED25519_FINGERPRINT in html
    assert len(upstream.calls(route="/v1/keys", method="POST")) == 1


def test_it_adds_a_key_with_a_plain_post(signed_in, upstream):
    response = signed_in.post("/ssh-keys/add/", {"name": "CI", "content": RSA_3072})
    assert response.status_code == 302
    html = signed_in.get("/ssh-keys/").content.decode()
    assert "SSH key “CI” added." in html
    assert "RSA" in html


def test_it_handles_an_invalid_key_before_calling_the_upstream(signed_in, upstream):
    bad = "ssh-rsa " + ED25519.split()[1]
    response = signed_in.post("/ssh-keys/add/", {"name": "Bad", "content": bad}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "its data is a ssh-ed25519 key" in html
    assert 'value="Bad"' in html
    assert bad in html  # what was typed stays
    assert upstream.calls(route="/v1/keys", method="POST") == []
    assert signed_in.post("/ssh-keys/add/", {"name": "Bad", "content": bad}).status_code == 400


def test_it_handles_a_duplicate_key_from_the_upstream(signed_in, upstream):
    signed_in.post("/ssh-keys/add/", {"name": "One", "content": ED25519})
    response = signed_in.post("/ssh-keys/add/", {"name": "Two", "content": ED25519}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "This SSH key is already registered." in html
    assert 'id="id_content_errors"' in html


@pytest.mark.parametrize("kind", ["404", "409", "429", "500", "timeout", "malformed"])
def test_it_handles_upstream_failures_on_add(signed_in, upstream, failing, kind):
    failing("dashboard.upstream.account.key_create", kind)
    htmx = signed_in.post("/ssh-keys/add/", {"name": "Laptop", "content": ED25519}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200
    assert FAILURE_TEXT[kind] in htmx.content.decode().lower()
    assert 'value="Laptop"' in htmx.content.decode()
    assert signed_in.post("/ssh-keys/add/", {"name": "Laptop", "content": ED25519}).status_code == plain_status(kind)


def test_it_confirms_a_deletion_naming_the_key(signed_in, upstream):
    key = _first_key(signed_in)
    response = signed_in.get(f"/ssh-keys/{key.id}/delete/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert f"Delete the SSH key “{key.name}”?" in html
    assert sshkeys.parse(key.content).fingerprint in html
    plain = signed_in.get(f"/ssh-keys/{key.id}/delete/")
    assert "<html" in plain.content.decode()
    assert f"Delete the SSH key “{key.name}”?" in plain.content.decode()
    assert upstream.calls(route="/v1/keys/:id", method="DELETE") == []


def test_it_deletes_a_key(signed_in, upstream):
    key = _first_key(signed_in)
    response = signed_in.post(f"/ssh-keys/{key.id}/delete/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert f"SSH key “{key.name}” deleted." in html
    assert f'id="key-{key.id}"' not in html
    assert len(upstream.calls(route="/v1/keys/:id", method="DELETE")) == 1


def test_it_handles_a_key_that_is_already_gone(signed_in, upstream):
    response = signed_in.post("/ssh-keys/000000000000000000000000/delete/")
    assert response.status_code == 302
    assert "already gone" in signed_in.get("/ssh-keys/").content.decode()


def test_it_handles_a_404_on_delete(signed_in, upstream, failing):
    key = _first_key(signed_in)
    failing("dashboard.upstream.account.key_delete", "404")
    response = signed_in.post(f"/ssh-keys/{key.id}/delete/", HTTP_HX_REQUEST="true")
    assert "deleted" in response.content.decode()


@pytest.mark.parametrize("kind", ["409", "429", "500", "timeout"])
def test_it_handles_upstream_failures_on_delete(signed_in, upstream, failing, kind):
    key = _first_key(signed_in)
    failing("dashboard.upstream.account.key_delete", kind)
    htmx = signed_in.post(f"/ssh-keys/{key.id}/delete/", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200
    assert FAILURE_TEXT[kind] in htmx.content.decode().lower()
    assert f"Delete the SSH key “{key.name}”?" in htmx.content.decode()
    assert signed_in.post(f"/ssh-keys/{key.id}/delete/").status_code == plain_status(kind)


def test_it_handles_a_failing_list(signed_in, upstream, fault):
    fault("500", f"{AUTH}/keys")
    response = signed_in.get("/ssh-keys/")
    assert response.status_code == 200
    assert "could not be read from the platform" in response.content.decode()


def test_it_handles_a_malformed_list(signed_in, upstream, fault):
    fault("malformed", f"{AUTH}/keys")
    response = signed_in.get("/ssh-keys/", HTTP_HX_REQUEST="true")
    assert "could not be read from the platform" in response.content.decode()


def test_it_handles_a_401_on_add(signed_in, upstream):
    revoke_tokens("demo-ordinary")
    response = signed_in.post("/ssh-keys/add/", {"name": "Laptop", "content": ED25519}, HTTP_HX_REQUEST="true")
    assert response.headers["HX-Redirect"].startswith("/signin/")


def test_it_shows_the_keys_page_in_french(signed_in, upstream):
    signed_in.cookies["dashboard_language"] = "fr"
    assert "Ajouter une clé" in signed_in.get("/ssh-keys/").content.decode()
