"""The events client on MockTransport: go-scalingo's shapes, unknown types and odd shapes."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest

from dashboard.upstream import errors, events, http

pytestmark = pytest.mark.usefixtures("_upstream_urls")


class _Auth:
    def bearer(self) -> str:
        return "bearer"

    def reexchange(self, refused: str | None = None) -> str:
        return "bearer"


@pytest.fixture
def _upstream_urls(settings):
    settings.SCALINGO_API_URL = "https://api.example.test"


@pytest.fixture
def answer():
    seen: list[httpx.Request] = []

    def _serve(body: object, status: int = 200):
        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return httpx.Response(status, json=body)

        http.set_transport_for_tests(httpx.MockTransport(handler))
        return seen

    yield _serve
    http.set_transport_for_tests(None)


def _event(type_: str, type_data: object, **extra: object) -> dict:
    return {
        "id": f"ev-{type_}",
        "created_at": "2026-11-30T09:15:00.000Z",
        "type": type_,
        "type_data": type_data,
        "user": {"id": "us-1", "username": "doc", "email": "doc@example.com"},
        **extra,
    }


def test_it_asks_for_the_latest_page_and_reads_go_scalingo_shapes(answer):
    seen = answer(
        {
            "events": [
                _event("login_failure", {"remote_ip": "203.0.113.5"}),
                _event("regenerate_token", {"token_name": "CI deploy", "token_id": "t-1"}),
                _event("new_key", {"name": "laptop", "fingerprint": "56:ba:e5"}),
                _event("tfa_enabled", {"provider": "totp"}),
                _event(
                    "add_payment_method",
                    {
                        "company": "Acme",
                        "vat_number": "",
                        "payment_method_type": "stripe",
                        "stripe": {"brand": "Visa", "last4": "4242", "exp": "08/2028"},
                    },
                ),
                _event("add_credit", {"amount": 15.0, "payment_method": "paypal"}),
                _event("add_voucher", {"code": "WELCOME"}),
                _event("payment_attempt", {"amount": 34.56, "payment_method": "card", "status": "failed"}),
                _event("deployment", {"git_ref": "3f2a9c1", "status": "success"}, app_id="5f01", app_name="blog"),
            ],
            "meta": {
                "pagination": {
                    "current_page": 1,
                    "prev_page": None,
                    "next_page": 2,
                    "total_pages": 3,
                    "total_count": 250,
                }
            },
        }
    )
    page = events.event_list(auth=_Auth())
    assert str(seen[0].url).startswith("https://api.example.test/v1/events?")
    assert dict(seen[0].url.params) == {"page": "1", "per_page": "100"}
    assert page.pagination.total_count == 250 and page.pagination.next_page == 2
    by_type = {e.type: e for e in page.items}
    assert by_type["login_failure"].remote_ip == "203.0.113.5"
    assert by_type["login_failure"].created_at == datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
    assert by_type["login_failure"].user == events.EventUser(id="us-1", username="doc", email="doc@example.com")
    assert by_type["regenerate_token"].data == events.TokenData(token_name="CI deploy", token_id="t-1")
    assert by_type["new_key"].data == events.KeyData(name="laptop", fingerprint="56:ba:e5")
    assert by_type["tfa_enabled"].data == events.TfaData(provider="totp")
    method = by_type["add_payment_method"].data
    assert (method.brand, method.last4, method.exp, method.company) == ("Visa", "4242", "08/2028", "Acme")
    assert by_type["add_credit"].data.amount.amount == Decimal("15.00")
    assert by_type["add_voucher"].data == events.VoucherData(code="WELCOME")
    attempt = by_type["payment_attempt"].data
    assert attempt.amount.amount == Decimal("34.56") and attempt.outcome == "failed"
    assert by_type["deployment"].app_name == "blog" and by_type["deployment"].data.git_ref == "3f2a9c1"


def test_it_keeps_an_unknown_type_with_its_plain_fields_and_no_secret(answer):
    answer(
        {
            "events": [
                _event(
                    "new_notifier",
                    {"name": "slack", "active": True, "webhook_token": "s3cr3t", "api_key": "k", "nested": {"a": 1}},
                )
            ]
        }
    )
    [event] = events.event_list(auth=_Auth()).items
    assert event.type == "new_notifier"
    assert event.data == events.OtherData(fields=(("name", "slack"), ("active", "true")))


@pytest.mark.parametrize(
    ("type_data", "expected"),
    [
        (None, events.AddressData(remote_ip=None)),
        ("a string", events.AddressData(remote_ip=None)),
        ({"remote_ip": {"v4": "1.2.3.4"}}, events.AddressData(remote_ip=None)),
        ({"remote_ip": 7}, events.AddressData(remote_ip="7")),
    ],
)
def test_it_tolerates_odd_shapes_and_logs_them(answer, caplog, type_data, expected):
    answer({"events": [_event("login_success", type_data)]})
    with caplog.at_level(logging.WARNING, logger="dashboard.upstream"):
        [event] = events.event_list(auth=_Auth()).items
    assert event.data == expected
    if type_data not in (None,) and expected.remote_ip is None:
        assert any("event" in record.message for record in caplog.records)


def test_it_tolerates_odd_entries_dates_users_and_amounts(answer, caplog):
    answer(
        {
            "events": [
                "not an event",
                {
                    "type": "payment_attempt",
                    "created_at": "yesterday",
                    "type_data": {"amount": "lots", "status": "paid"},
                },
                {"id": 3, "user": "someone", "type_data": {}},
            ]
        }
    )
    with caplog.at_level(logging.WARNING, logger="dashboard.upstream"):
        items = events.event_list(auth=_Auth()).items
    assert len(items) == 2
    attempt, nameless = items
    assert attempt.created_at is None and attempt.data.amount is None and attempt.data.outcome == "paid"
    assert nameless.type == "unknown" and nameless.user is None and nameless.id == "3"
    assert len(caplog.records) >= 3


def test_it_reads_the_documented_value_of_add_credit(answer):
    answer({"events": [_event("add_credit", {"value": "12.5"})]})
    [event] = events.event_list(auth=_Auth()).items
    assert event.data.amount.amount == Decimal("12.50") and event.data.payment_method is None


@pytest.mark.parametrize(
    ("status", "outcome"), [("paid", "paid"), ("new", "pending"), ("failed", "failed"), ("refused", "failed")]
)
def test_it_reads_a_payment_status_as_go_scalingo_does(status, outcome):
    assert events.PaymentAttemptData(amount=None, payment_method=None, status=status).outcome == outcome


def test_a_feed_without_its_root_key_is_malformed(answer):
    answer({"event": []})
    with pytest.raises(errors.MalformedResponse):
        events.event_list(auth=_Auth())


def test_a_refusal_is_an_upstream_error(answer):
    answer({"error": "Internal error occured, we're on it!"}, status=500)
    with pytest.raises(errors.ServerError):
        events.event_list(auth=_Auth())
