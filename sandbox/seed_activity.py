"""The demo accounts' activity feed: sign-ins from a few addresses, token and key changes, billing
events and app events, plus one payment attempt per invoice (failed ones retried daily for 5 days).

Every date is relative to now and clamped between the account's creation and now, so the feed
reads right on any day. Addresses are from the documentation ranges (RFC 5737).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sandbox.activity import attempt_method, invoice_amount
from sandbox.ids import stable_uuid

if TYPE_CHECKING:
    from sandbox.seed import _AccountBuilder

HOME = "203.0.113.5"
OFFICE = "198.51.100.23"
UNKNOWN = "192.0.2.77"


def add_activity(b: _AccountBuilder) -> None:
    story = _STORIES.get(b.account.key)
    if story is not None:
        story(b)
    _payment_attempts(b)


def _at(b: _AccountBuilder, days: float, hours: float = 0) -> datetime:
    """``days`` (and ``hours``) before now, never before the account existed nor after now."""
    wanted = b.now - timedelta(days=days, hours=hours)
    earliest = b.created + timedelta(minutes=5)
    return min(max(wanted, earliest), b.now - timedelta(minutes=1))


def _event(b: _AccountBuilder, type_: str, at: datetime, **data: Any) -> None:
    b._event(type_, at, **data)


def _token_id(b: _AccountBuilder, name: str) -> str:
    return stable_uuid("token", b.account.key, name)


def _signin(b: _AccountBuilder, days: float, ip: str, *, failed: bool = False) -> None:
    _event(b, "login_failure" if failed else "login_success", _at(b, days), remote_ip=ip)


def _payment_attempts(b: _AccountBuilder) -> None:
    """One attempt per invoice when it was charged; a failed one is retried every day for 5 days."""
    profile = next((p for p in b.batch.profiles if p.user is b.user), None)
    method = attempt_method(profile)
    for operation in (op for op in b.batch.operations if op.user is b.user):
        invoice = operation.invoice
        if invoice is None or invoice.state == "new" or invoice.total_price_with_vat <= 0:
            continue  # nothing is charged yet, or nothing to charge (the free trial)
        tries = 1 if invoice.state == "paid" else 5
        first = min(operation.created_at + timedelta(minutes=3), b.now - timedelta(minutes=2))
        for attempt in range(tries):
            at = first + timedelta(days=attempt)
            if at > b.now:
                break
            amount = invoice_amount(invoice)
            _event(b, "payment_attempt", at, amount=amount, payment_method=method, status=invoice.state)


def _ordinary(b: _AccountBuilder) -> None:
    _event(b, "password_reset_query", _at(b, 61), remote_ip=HOME)
    _event(b, "password_reset_success", _at(b, 61, -0.2), remote_ip=HOME)
    _event(b, "new_token", _at(b, 90), token_name="CI deploys", token_id=_token_id(b, "CI deploys"))
    _event(b, "new_token", _at(b, 12), token_name="Laptop CLI", token_id=_token_id(b, "Laptop CLI"))
    _event(b, "regenerate_token", _at(b, 5), token_name="CI deploys", token_id=_token_id(b, "CI deploys"))
    _signin(b, 40, HOME)
    _signin(b, 9, HOME)
    _signin(b, 3, UNKNOWN, failed=True)
    _signin(b, 2, HOME)
    blog, api = b.apps[0], b.apps[1]
    _event(b, "new_app", blog.created_at, app=blog, git_source="")
    _event(b, "new_app", api.created_at, app=api, git_source="")
    _event(b, "deployment", _at(b, 1, 2), app=api, git_ref="3f2a9c1", status="success", pusher=b.user.username)
    # A type the dashboard has no wording for: shown with its name and plain fields.
    _event(b, "new_integration", _at(b, 20), integration_type="github", integration_id="int-demo-1")


def _twofa(b: _AccountBuilder) -> None:
    _signin(b, 49, HOME)
    _signin(b, 14, OFFICE)
    _signin(b, 1, UNKNOWN, failed=True)
    _event(b, "login_lock", _at(b, 1, -0.1), remote_ip=UNKNOWN)
    _event(b, "login_unlock_success", _at(b, 0, 20), remote_ip=OFFICE)
    _event(b, "delete_key", _at(b, 30), name="old phone")


def _github(b: _AccountBuilder) -> None:
    _event(b, "add_voucher", _at(b, 170), code="WELCOME-DEMO")
    _event(b, "add_credit", _at(b, 120), amount=50.0, payment_method="paypal")
    _event(b, "add_credit", _at(b, 30), amount=25.0, payment_method="paypal")
    _signin(b, 4, HOME)


def _suspended(b: _AccountBuilder) -> None:
    _signin(b, 25, HOME)
    _signin(b, 2, OFFICE)


def _teamadmin(b: _AccountBuilder) -> None:
    _event(b, "delete_key", _at(b, 500), name="old laptop")
    _event(b, "edit_key", _at(b, 100), name="ops laptop")
    _event(b, "new_token", _at(b, 200), token_name="Terraform", token_id=_token_id(b, "Terraform"))
    _event(b, "new_token", _at(b, 160), token_name="Old CI", token_id=stable_uuid("token", "teamadmin", "Old CI"))
    _event(b, "delete_token", _at(b, 150), token_name="Old CI", token_id=stable_uuid("token", "teamadmin", "Old CI"))
    _event(b, "tfa_enabled", _at(b, 300), provider="totp")
    _event(b, "tfa_disabled", _at(b, 299))
    _signin(b, 20, OFFICE)
    _signin(b, 6, HOME)
    _signin(b, 1, "203.0.113.99")
    for app in b.apps:
        _event(b, "new_app", app.created_at, app=app, git_source="")
    web = b.apps[0]
    _event(b, "new_addon", _at(b, 45), app=web, addon_provider_name="Redis", plan_name="starter-256")
    _event(b, "rename_app", _at(b, 44), app=web, old_name="acme-www", new_name="acme-web")
    _event(b, "restart", _at(b, 0, 3), app=web, scope=["web"])


def _empty(b: _AccountBuilder) -> None:
    _signin(b, 0, HOME)


def _collaborator(b: _AccountBuilder) -> None:
    _signin(b, 30, OFFICE)
    _signin(b, 1, OFFICE)


_STORIES = {
    "ordinary": _ordinary,
    "twofa": _twofa,
    "github": _github,
    "suspended": _suspended,
    "teamadmin": _teamadmin,
    "empty": _empty,
    "collaborator": _collaborator,
}
