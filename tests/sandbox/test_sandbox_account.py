"""Contract §2: users (self, three update variants, deletion), 2FA, SSH keys, regions, apps."""

from __future__ import annotations

import base64

import pyotp
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from django.test import override_settings

from tests.sandbox.sandbox_support import Sandbox

USER_KEYS = {
    "id", "uuid", "email", "username", "company", "location", "fullname", "role", "created_at",
    "free_trial_started_at", "free_trial_end_time", "suspended_at", "suspension_reason",
    "tos_accepted", "email_newsletter", "referral_url", "referral_clicks", "flags", "limits",
    "github", "profile_valid", "confirmed", "unconfirmed_email", "preferences", "contracts",
    "new_contracts",
}  # fmt: skip


def openssh(private) -> str:
    public = private.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    return public.decode() + " test@host"


@pytest.mark.parametrize("host", ["auth/v1", "api/osc-fr1/v1", "api/osc-secnum-fr1/v1"])
def test_it_shows_the_user_on_every_host(ordinary, host) -> None:
    response = ordinary.get(f"/{host}/users/self")
    assert response.status_code == 200
    user = response.json()["user"]
    assert set(user) == USER_KEYS
    assert user["id"] == user["uuid"] and user["id"].startswith("us-")
    assert isinstance(user["referral_clicks"], int)
    assert user["limits"] == {"free_trial_apps": "10"}
    assert user["created_at"].endswith("Z")
    assert user["github"] is None


def test_head_works_on_resources(ordinary) -> None:
    response = ordinary.head("/auth/v1/users/self")
    assert response.status_code == 200
    assert response.content == b""


def test_it_updates_email_and_username_on_the_regional_host(ordinary) -> None:
    user = ordinary.get("/auth/v1/users/self").json()["user"]
    response = ordinary.patch(
        f"/api/osc-fr1/v1/users/{user['id']}",
        json={"user": {"email": "new-ordinary@example.com", "username": "renamed-ordinary"}},
    )
    assert response.status_code == 200
    assert response.json()["user"]["email"] == "new-ordinary@example.com"
    put = ordinary.put(f"/api/osc-fr1/v1/users/{user['id']}", json={"user": {"username": "again"}})
    assert put.json()["user"]["username"] == "again"


def test_the_regional_update_of_another_user_is_not_found(ordinary) -> None:
    response = ordinary.patch("/api/osc-fr1/v1/users/us-nobody", json={"user": {}})
    assert response.status_code == 404
    assert response.json() == {"resource": "user", "error": "not found"}


def test_the_go_variant_changes_email_and_password(sandbox: Sandbox, ordinary) -> None:
    response = ordinary.patch(
        "/auth/v1/account/profile",
        json={"user": {"email": "go@example.com", "password": "a-new-password"}},
    )
    assert response.status_code == 200
    login = sandbox.http.post("/auth/v1/tokens", auth=("go@example.com", "a-new-password"), json={"name": "x"})
    assert login.status_code == 201


def test_the_js_variant_updates_the_profile_and_preferences(ordinary) -> None:
    body = {
        "user": {
            "fullname": "Ada Lovelace",
            "company": "Analytical",
            "location": "London",
            "email_newsletter": True,
            "preferences": {"locale": "fr", "theme": "dark"},
        }
    }
    response = ordinary.put("/auth/v1/users/account", json=body)
    assert response.status_code == 200
    user = ordinary.get("/auth/v1/users/self").json()["user"]
    assert user["fullname"] == "Ada Lovelace"
    assert user["email_newsletter"] is True
    assert user["preferences"]["locale"] == "fr"
    assert user["preferences"]["theme"] == "dark"
    assert user["preferences"]["time_zone"] == "Europe/Paris"


def test_the_js_variant_changes_the_password_with_the_current_one(sandbox, ordinary) -> None:
    body = {
        "user": {
            "password": "brand-new-password",
            "password_confirmation": "brand-new-password",
            "current_password": "demo-ordinary-password",
        }
    }
    assert ordinary.put("/auth/v1/users/account", json=body).status_code == 200
    old = sandbox.http.post("/auth/v1/tokens", auth=("demo-ordinary", "demo-ordinary-password"), json={"name": "x"})
    assert old.status_code == 401


@pytest.mark.parametrize(
    ("user", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "teamadmin@demo.sandbox.test"}, "email"),
        ({"email": "TEAMADMIN@demo.sandbox.test"}, "email"),
        ({"username": "Bad Name!"}, "username"),
        ({"username": "-leading"}, "username"),
        ({"username": "demo-teamadmin"}, "username"),
        ({"email": 42}, "email"),
        ({"tos_accepted": "yes"}, "tos_accepted"),
        ({"preferences": {"theme": "neon"}}, "preferences"),
        ({"preferences": "dark"}, "preferences"),
        ({"password": "short", "current_password": "demo-ordinary-password"}, "password"),
        (
            {"password": "long-enough-1", "current_password": "wrong-password"},
            "current_password",
        ),
        (
            {
                "password": "long-enough-1",
                "password_confirmation": "different-1",
                "current_password": "demo-ordinary-password",
            },
            "password_confirmation",
        ),
    ],
)
def test_the_js_variant_answers_422(ordinary, user, field) -> None:
    response = ordinary.put("/auth/v1/users/account", json={"user": user})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert field in errors
    assert all(isinstance(m, str) for m in errors[field])


def test_a_github_account_cannot_set_a_password(sandbox: Sandbox) -> None:
    response = sandbox.request(
        "PUT",
        "/auth/v1/users/account",
        headers=sandbox.headers("github"),
        json={"user": {"password": "whatever-123", "current_password": ""}},
    )
    assert response.status_code == 422
    assert "password" in response.json()["errors"]
    user = sandbox.get("/auth/v1/users/self", headers=sandbox.headers("github")).json()["user"]
    assert user["github"]["username"] == "demo-octocat"


@pytest.mark.parametrize(
    "body", [b'{"user": {', b"not json", b"[1, 2]", b"\xff\xfe"], ids=["cut", "text", "list", "bytes"]
)
def test_bad_json_answers_400(ordinary, body) -> None:
    response = ordinary.put("/auth/v1/users/account", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"].startswith("There was a problem in the JSON you submitted")


def test_regional_delete_cascades_owned_apps(sandbox: Sandbox) -> None:
    headers = sandbox.headers("ordinary")
    assert sandbox.request("DELETE", "/api/osc-fr1/v1/users", headers=headers).status_code == 204
    assert sandbox.get("/auth/v1/users/self", headers=headers).status_code == 401
    team = sandbox.headers("teamadmin")
    names = [a["name"] for a in sandbox.get("/api/osc-fr1/v1/apps", headers=team).json()["apps"]]
    assert "ordinary-blog" not in names and "acme-web" in names
    exchange = sandbox.http.post("/auth/v1/tokens/exchange", auth=("", "tk-us-x"))
    assert exchange.status_code == 401


def test_strict_delete_answers_409_while_apps_are_owned(sandbox: Sandbox) -> None:
    with override_settings(SANDBOX_STRICT_DELETE=True):
        owner = sandbox.request("DELETE", "/api/osc-fr1/v1/users", headers=sandbox.headers("ordinary"))
        free = sandbox.request("DELETE", "/api/osc-fr1/v1/users", headers=sandbox.headers("collaborator"))
    assert owner.status_code == 409
    assert set(owner.json()) == {"error"}
    assert free.status_code == 204


def test_the_js_deletion_flow_needs_the_emailed_token(sandbox: Sandbox) -> None:
    headers = sandbox.headers("empty")
    started = sandbox.http.post("/auth/v1/users/delete", headers=headers, json={})
    assert started.status_code == 201
    deletion_id = started.json()["deletion"]["id"]
    mail = sandbox.get("/_control/mail").json()["mail"]
    token = next(m["token"] for m in mail if m["deletion_id"] == deletion_id)
    url = f"/auth/v1/users/delete/{deletion_id}/confirm"
    wrong = sandbox.http.post(url, headers=headers, json={"deletion": {"token": "nope"}})
    assert wrong.status_code == 422
    assert sandbox.http.post("/auth/v1/users/delete/unknown/confirm", json={}).status_code == 404
    body = {"deletion": {"token": token, "reason": "testing"}}
    assert sandbox.http.post(url, headers=headers, json=body).status_code == 204
    assert sandbox.get("/auth/v1/users/self", headers=headers).status_code == 401


def test_misc_auth_calls(ordinary) -> None:
    assert ordinary.post("/auth/v1/users/stop_free_trial", json={}).status_code == 200
    roles = ordinary.get("/auth/v1/users/roles").json()["roles"]
    assert roles and all(isinstance(role, str) for role in roles)


def test_regions_point_at_the_sandbox_prefixes(sandbox: Sandbox) -> None:
    response = sandbox.get("/auth/v1/regions")
    assert response.status_code == 200
    regions = response.json()["regions"]
    assert [r["name"] for r in regions] == ["osc-fr1", "osc-secnum-fr1"]
    for region in regions:
        assert set(region) == {"name", "display_name", "api", "dashboard", "database_api", "ssh", "default"}
        assert region["api"] == f"{sandbox.base_url}/sandbox/api/{region['name']}"
    assert [r["default"] for r in regions] == [True, False]
    self_ = sandbox.get(regions[1]["api"].removeprefix(sandbox.base_url + "/sandbox") + "/v1/users/self")
    assert self_.status_code == 401


# 2FA


def test_2fa_enrol_validate_and_disable(sandbox: Sandbox, ordinary) -> None:
    assert ordinary.get("/auth/v1/client/tfa").json()["tfa"]["enabled"] is False
    enrol = ordinary.post("/auth/v1/client/tfa", json={"tfa": {"provider": "totp"}})
    assert enrol.status_code in (200, 201)
    tfa = enrol.json()["tfa"]
    assert tfa["enabled"] is False and tfa["provider"] == "totp"
    assert tfa["uri"].startswith("otpauth://totp/")
    secret = pyotp.parse_uri(tfa["uri"]).secret
    bad = ordinary.post("/auth/v1/client/tfa/validate", json={"tfa": {"attempt": 123}})
    assert bad.status_code == 422
    code = pyotp.TOTP(secret).now()
    validated = ordinary.post("/auth/v1/client/tfa/validate", json={"tfa": {"attempt": code}})  # as typed
    assert validated.status_code == 200
    body = validated.json()["tfa"]
    assert len(body["codes"]) >= 8
    assert body["user"]["enabled"] is True
    login = sandbox.http.post("/auth/v1/tokens", auth=("demo-ordinary", "demo-ordinary-password"), json={"name": "x"})
    assert login.json() == {"error": "OTP Required"}
    wrong = ordinary.request("DELETE", "/auth/v1/client/tfa", json={"tfa": {"attempt": "000000"}})
    assert wrong.status_code == 422
    off = ordinary.request("DELETE", "/auth/v1/client/tfa", json={"tfa": {"attempt": body["codes"][0]}})
    assert off.status_code == 200
    assert ordinary.get("/auth/v1/client/tfa").json()["tfa"]["enabled"] is False


def test_disabling_2fa_when_off_is_an_error(ordinary) -> None:
    response = ordinary.request("DELETE", "/auth/v1/client/tfa", json={"tfa": {"attempt": "123456"}})
    assert response.status_code == 422


# SSH keys


def test_it_lists_keys_with_fingerprints(ordinary) -> None:
    keys = ordinary.get("/auth/v1/keys").json()["keys"]
    assert len(keys) == 2
    for key in keys:
        assert {"id", "name", "content", "fingerprint", "created_at", "owner"} <= set(key)
        assert len(key["fingerprint"].split(":")) == 16
        assert len(key["id"]) == 24
    one = ordinary.get(f"/auth/v1/keys/{keys[0]['id']}")
    assert one.json()["key"] == keys[0]


@pytest.mark.parametrize(
    "private",
    [
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        ed25519.Ed25519PrivateKey.generate(),
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP384R1()),
        ec.generate_private_key(ec.SECP521R1()),
    ],
    ids=["rsa", "ed25519", "p256", "p384", "p521"],
)
def test_it_adds_real_keys_and_refuses_duplicates(ordinary, private) -> None:
    content = openssh(private)
    created = ordinary.post("/auth/v1/keys", json={"key": {"name": "new", "content": content}})
    assert created.status_code == 201
    key = created.json()["key"]
    assert key["content"] == content
    import hashlib

    blob = base64.b64decode(content.split()[1])
    expected = hashlib.md5(blob).hexdigest()
    assert key["fingerprint"].replace(":", "") == expected
    again = ordinary.post("/auth/v1/keys", json={"name": "again", "content": content})
    assert again.status_code == 422
    assert list(again.json()["errors"]) == ["content"]
    assert ordinary.delete(f"/auth/v1/keys/{key['id']}").status_code == 204
    assert ordinary.get(f"/auth/v1/keys/{key['id']}").json() == {"resource": "key", "error": "not found"}


def _mismatched_type() -> str:
    ed = openssh(ed25519.Ed25519PrivateKey.generate())
    return "ssh-rsa " + ed.split()[1]


@pytest.mark.parametrize(
    "content",
    [
        "ssh-rsa AAAA",
        "ssh-rsa not-base64!!",
        "hello world",
        "",
        _mismatched_type(),
        "ssh-dss AAAAB3NzaC1kc3MAAACBAP",
        openssh(rsa.generate_private_key(public_exponent=65537, key_size=2048))[:-40],
    ],
    # Generated keys differ on every collection: name cases by position, so parallel workers agree.
    ids=["truncated", "not-base64", "no-key", "empty", "mismatched-type", "dss", "cut-rsa"],
)
def test_it_refuses_invalid_keys(ordinary, content) -> None:
    response = ordinary.post("/auth/v1/keys", json={"key": {"name": "bad", "content": content}})
    assert response.status_code == 422
    assert "content" in response.json()["errors"]


def test_a_key_needs_a_name(ordinary) -> None:
    content = openssh(ed25519.Ed25519PrivateKey.generate())
    response = ordinary.post("/auth/v1/keys", json={"key": {"content": content}})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["name"]


# Apps


def test_apps_are_listed_per_region_with_owner(sandbox: Sandbox, ordinary) -> None:
    apps = ordinary.get("/api/osc-fr1/v1/apps").json()["apps"]
    user = ordinary.get("/auth/v1/users/self").json()["user"]
    owned = [a["name"] for a in apps if a["owner"]["username"] == user["username"]]
    others = [a["name"] for a in apps if a["owner"]["username"] != user["username"]]
    assert sorted(owned) == ["ordinary-api", "ordinary-blog"]
    assert others == ["acme-web"]
    for app in apps:
        assert len(app["owner"]["id"]) == 24
        assert app["region"] == "osc-fr1"
        assert {"id", "name", "status", "url", "created_at", "updated_at", "project"} <= set(app)
    assert ordinary.get("/api/osc-secnum-fr1/v1/apps").json()["apps"] == []
    team = sandbox.get("/api/osc-secnum-fr1/v1/apps", headers=sandbox.headers("teamadmin"))
    assert len(team.json()["apps"]) == 2


def test_app_creation_and_deletion_errors(sandbox: Sandbox, ordinary) -> None:
    assert ordinary.post("/api/osc-fr1/v1/apps", json={"app": {"name": "Bad_Name"}}).status_code == 422
    created = ordinary.post("/api/osc-fr1/v1/apps", json={"app": {"name": "fresh-app"}})
    assert created.status_code == 201
    empty = sandbox.http.post(
        "/api/osc-fr1/v1/apps", headers=sandbox.headers("empty"), json={"app": {"name": "nope-app"}}
    )
    assert empty.status_code == 402
    assert set(empty.json()) == {"error", "url"}
    collaborated = ordinary.delete("/api/osc-fr1/v1/apps/acme-web")
    assert collaborated.status_code == 403
    assert set(collaborated.json()) == {"error", "code"}
    assert ordinary.delete("/api/osc-fr1/v1/apps/fresh-app").status_code == 204
    assert ordinary.get("/api/osc-fr1/v1/apps/fresh-app").json() == {"resource": "app", "error": "not found"}


def test_the_user_carries_odd_types_with_the_variant_on(ordinary) -> None:
    from sandbox import behaviours

    behaviours.enable("user-odd-types")
    user = ordinary.get("/auth/v1/users/self").json()["user"]
    assert user["referral_clicks"] == "a lot"
    assert user["flags"] == "beta-tester"
    assert user["limits"] == ["free_trial_apps", "10"]
    assert user["created_at"] is None
    assert user["free_trial_started_at"] == "last spring"
    assert user["username"] == "demo-ordinary"  # what sign-in needs is untouched


def test_the_user_has_documented_types_with_the_variant_off(ordinary) -> None:
    user = ordinary.get("/auth/v1/users/self").json()["user"]
    assert isinstance(user["referral_clicks"], int)
    assert isinstance(user["flags"], dict)
    assert user["limits"] == {"free_trial_apps": "10"}
    assert user["created_at"].endswith("Z")


def test_the_deletion_flow_answers_404_with_the_variant_on(sandbox: Sandbox) -> None:
    from sandbox import behaviours

    behaviours.enable("user-deletion-404")
    headers = sandbox.headers("collaborator")
    assert sandbox.http.post("/auth/v1/users/delete", headers=headers).status_code == 404
    assert sandbox.http.post("/auth/v1/users/delete/any/confirm", json={"deletion": {"token": "t"}}).status_code == 404
    assert sandbox.get("/_control/mail").json() == {"mail": []}
    # The documented call still works.
    assert sandbox.http.delete("/api/osc-fr1/v1/users", headers=headers).status_code == 204


def test_the_deletion_email_carries_a_link_with_the_variant_off(sandbox: Sandbox) -> None:
    started = sandbox.http.post("/auth/v1/users/delete", headers=sandbox.headers("collaborator"))
    assert started.status_code == 201
    deletion_id = started.json()["deletion"]["id"]
    (mail,) = sandbox.get("/_control/mail").json()["mail"]
    assert mail["deletion_id"] == deletion_id
    assert f"/authentication/delete/confirm/?deletion={deletion_id}&token=" in mail["link"]
