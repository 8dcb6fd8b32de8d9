"""The sandbox records the events its own writes imply, with ``type_data`` as go-scalingo reads it
(``events_account.go``, ``events_token.go``, ``events_user.go``, ``events_billing.go``,
``events_structs.go``), and seeds a varied feed whose dates hold on any day."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from sandbox.seed import ed25519_key
from tests.sandbox.sandbox_support import Sandbox, basic

EVENTS = "/api/osc-fr1/v1/events"


def _latest(client, count: int = 1) -> list[dict]:
    return client.get(EVENTS, params={"per_page": count}).json()["events"]


def test_signins_record_their_address(sandbox: Sandbox) -> None:
    sandbox.request("POST", "/auth/v1/tokens", headers=basic("demo-ordinary", "wrong"), json={"token": {"name": "x"}})
    created = sandbox.request(
        "POST",
        "/auth/v1/tokens",
        headers=basic("demo-ordinary", "demo-ordinary-password"),
        json={"token": {"name": "Dashboard"}},
    )
    assert created.status_code == 201
    with sandbox.as_user("ordinary") as client:
        new_token, success, failure = _latest(client, 3)
    assert failure["type"] == "login_failure" and failure["type_data"] == {"remote_ip": "127.0.0.1"}
    assert success["type"] == "login_success" and success["type_data"] == {"remote_ip": "127.0.0.1"}
    assert new_token["type"] == "new_token"
    assert new_token["type_data"] == {"token_name": "Dashboard", "token_id": created.json()["token"]["id"]}


def test_a_wrong_2fa_code_at_signin_is_a_failed_signin(sandbox: Sandbox) -> None:
    headers = {**basic("demo-twofa", "demo-twofa-password"), "X-Authorization-OTP": "000000"}
    assert sandbox.request("POST", "/auth/v1/tokens", headers=headers, json={"token": {"name": "x"}}).status_code == 401
    with sandbox.as_user("twofa") as client:
        [event] = _latest(client)
    assert event["type"] == "login_failure" and event["type_data"] == {"remote_ip": "127.0.0.1"}


def test_token_changes_are_recorded_with_name_and_id(ordinary) -> None:
    token = ordinary.post("/auth/v1/tokens", json={"token": {"name": "CI deploy"}}).json()["token"]
    ordinary.patch(f"/auth/v1/tokens/{token['id']}/renew", json={})
    ordinary.delete(f"/auth/v1/tokens/{token['id']}")
    deleted, renewed, created = _latest(ordinary, 3)
    expected = {"token_name": "CI deploy", "token_id": token["id"]}
    assert (created["type"], created["type_data"]) == ("new_token", expected)
    assert (renewed["type"], renewed["type_data"]) == ("regenerate_token", expected)
    assert (deleted["type"], deleted["type_data"]) == ("delete_token", expected)


def test_key_changes_are_recorded_with_name_and_fingerprint(ordinary) -> None:
    key = ordinary.post("/auth/v1/keys", json={"key": {"name": "new laptop", "content": ed25519_key("t", "me@t")}})
    assert key.status_code == 201
    ordinary.delete(f"/auth/v1/keys/{key.json()['key']['id']}")
    deleted, added = _latest(ordinary, 2)
    assert added["type"] == "new_key"
    assert added["type_data"] == {"name": "new laptop", "fingerprint": key.json()["key"]["fingerprint"]}
    assert (deleted["type"], deleted["type_data"]) == ("delete_key", {"name": "new laptop"})


def test_a_new_payment_method_is_recorded_and_pays_the_failed_invoice(sandbox: Sandbox) -> None:
    with sandbox.as_user("suspended") as client:
        profile = client.get("/api/osc-fr1/v1/account/billing/profile").json()["billing_profile"]
        failed = [
            i for i in client.get("/api/osc-fr1/v1/account/invoices").json()["invoices"] if i["state"] == "failed"
        ]
        card = {"default_card_brand": "Visa", "default_card_last4": "4242", "default_card_exp": "12/2030"}
        answer = client.put(
            f"/billing/profiles/{profile['id']}",
            json={"profile": {"payment_method": "stripe", "stripe_payment_method": card}},
        )
        assert answer.status_code == 200
        events = _latest(client, 1 + len(failed))
    paid, method = events[: len(failed)], events[-1]
    assert method["type"] == "add_payment_method"
    assert method["type_data"] == {
        "company": "",
        "vat_number": "",
        "payment_method_type": "stripe",
        "stripe": {"brand": "Visa", "last4": "4242", "exp": "12/2030"},
    }
    assert failed, "the suspended account has a failed invoice"
    assert [e["type_data"] for e in paid] == [
        {"amount": invoice["total_price_with_vat"] / 100, "payment_method": "card", "status": "paid"}
        for invoice in failed
    ]


def test_enabling_2fa_records_its_provider(ordinary) -> None:
    import pyotp

    uri = ordinary.post("/auth/v1/client/tfa", json={"tfa": {"provider": "totp"}}).json()["tfa"]["uri"]
    code = pyotp.parse_uri(uri).now()
    assert ordinary.post("/auth/v1/client/tfa/validate", json={"tfa": {"attempt": code}}).status_code == 200
    [event] = _latest(ordinary)
    assert (event["type"], event["type_data"]) == ("tfa_enabled", {"provider": "totp"})


def test_app_events_name_their_app(sandbox: Sandbox) -> None:
    with sandbox.as_user("ordinary") as client:
        app = client.post("/api/osc-fr1/v1/apps", json={"app": {"name": "evented-app"}}).json()["app"]
        client.delete(f"/api/osc-fr1/v1/apps/{app['id']}")
        deleted, created = _latest(client, 2)
    assert (created["type"], created["app_id"], created["app_name"]) == ("new_app", app["id"], "evented-app")
    assert (deleted["type"], deleted["app_name"]) == ("delete_app", "evented-app")


def test_the_seeded_feed_has_a_failed_payment_for_the_suspended_account(sandbox: Sandbox) -> None:
    with sandbox.as_user("suspended") as client:
        events = client.get(EVENTS, params={"per_page": 100}).json()["events"]
    attempts = [e["type_data"] for e in events if e["type"] == "payment_attempt"]
    assert "failed" in {a["status"] for a in attempts}
    assert all(a["payment_method"] == "sepa" for a in attempts)


@pytest.mark.parametrize(
    "day",
    [
        datetime(2027, 3, 1, 0, 30, tzinfo=UTC),
        datetime(2027, 2, 28, 23, 0, tzinfo=UTC),
        datetime(2027, 6, 15, 12, 0, tzinfo=UTC),
        datetime(2027, 12, 1, 7, 15, tzinfo=UTC),
    ],
)
def test_the_seeded_events_are_never_in_the_future_and_vary_per_account(transactional_db, day) -> None:
    from sandbox.models import Event
    from sandbox.seed import seed_demo

    with time_machine.travel(day, tick=False):
        seed_demo()
        assert not Event.objects.filter(created_at__gt=day).exists()
        for username in ("demo-ordinary", "demo-twofa", "demo-github", "demo-suspended", "demo-teamadmin"):
            kinds = set(Event.objects.filter(user__username=username).values_list("type", flat=True))
            assert len(kinds) >= 4, (username, kinds)
