"""The account's activity feed: ``GET REGIONAL /events`` (upstream-api.md §3.7), newest first.

Event types and their ``type_data`` fields follow go-scalingo (``events_structs.go``,
``events_account.go``, ``events_token.go``, ``events_billing.go``, ``events_user.go``). The feed is
the platform's to extend: a type this module does not know is kept with its name and the plain
values of its ``type_data`` (never dropped, never an error), and a known type with odd field
shapes keeps what it can read and logs the rest.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dashboard.money import Money

from . import errors, parse
from .http import Auth, Host, call

logger = logging.getLogger("dashboard.upstream")

# The largest page every paginated Scalingo endpoint accepts (the sandbox clamps to it too).
MAX_PER_PAGE = 100

SECURITY_TYPES = frozenset(
    {
        "login_success",
        "login_failure",
        "login_lock",
        "login_unlock_success",
        "password_reset_query",
        "password_reset_success",
        "tfa_enabled",
        "tfa_disabled",
        "new_user",
    }
)
TOKEN_TYPES = frozenset({"new_token", "regenerate_token", "delete_token"})
KEY_TYPES = frozenset({"new_key", "edit_key", "delete_key"})
BILLING_TYPES = frozenset({"add_credit", "add_payment_method", "add_voucher", "payment_attempt"})

# Keys whose values are never kept from an unknown event's data, whatever the platform sends.
_SECRET_KEY = re.compile(r"token|secret|password|otp|key|authorization|cookie|signature", re.IGNORECASE)
_MAX_TEXT = 200
_MAX_FIELDS = 12


@dataclass(frozen=True)
class EventUser:
    id: str
    username: str
    email: str


@dataclass(frozen=True)
class AddressData:
    """Sign-in, lock, unlock and password-reset events (go ``EventSecurityTypeData``)."""

    remote_ip: str | None


@dataclass(frozen=True)
class TfaData:
    provider: str | None


@dataclass(frozen=True)
class TokenData:
    token_name: str
    token_id: str | None


@dataclass(frozen=True)
class KeyData:
    name: str
    fingerprint: str | None


@dataclass(frozen=True)
class CreditData:
    amount: Money | None
    payment_method: str | None


@dataclass(frozen=True)
class PaymentMethodData:
    """go ``EventAddPaymentMethodTypeData``: a ``billing.Profile``."""

    payment_method_type: str | None  # "stripe" or "paypal"
    brand: str | None
    last4: str | None
    exp: str | None  # "MM/YYYY", as the platform writes it
    company: str | None
    vat_number: str | None


@dataclass(frozen=True)
class VoucherData:
    code: str | None


@dataclass(frozen=True)
class PaymentAttemptData:
    amount: Money | None
    payment_method: str | None  # "credit", "card", …
    status: str | None  # "new" (pending), "paid", anything else is a failure (go's reading)

    @property
    def outcome(self) -> str:
        """``paid``, ``pending`` or ``failed``, as go-scalingo reads ``status``."""
        if self.status == "paid":
            return "paid"
        if self.status == "new":
            return "pending"
        return "failed"


@dataclass(frozen=True)
class AppChangeData:
    """The app events the dashboard words: rename, deployment, addon changes (others use OtherData)."""

    old_name: str | None = None
    new_name: str | None = None
    git_ref: str | None = None
    status: str | None = None
    addon: str | None = None
    plan: str | None = None


@dataclass(frozen=True)
class OtherData:
    """Any other type: its plain ``type_data`` values as text, secrets left out."""

    fields: tuple[tuple[str, str], ...]


EventData = (
    AddressData
    | TfaData
    | TokenData
    | KeyData
    | CreditData
    | PaymentMethodData
    | VoucherData
    | PaymentAttemptData
    | AppChangeData
    | OtherData
)


@dataclass(frozen=True)
class Event:
    id: str
    created_at: datetime | None
    type: str
    user: EventUser | None
    app_id: str | None
    app_name: str | None
    data: EventData

    @property
    def remote_ip(self) -> str | None:
        return self.data.remote_ip if isinstance(self.data, AddressData) else None


# Parsing ---------------------------------------------------------------------------------------


class _Reader:
    """Reads one event's ``type_data`` leniently: a value of the wrong shape becomes None, logged."""

    def __init__(self, event_type: str, data: dict[str, Any]) -> None:
        self.type = event_type
        self.data = data

    def odd(self, name: str, value: Any) -> None:
        logger.warning(
            "event field of an unexpected shape",
            extra={"event_type": self.type, "field": name, "shape": type(value).__name__},
        )

    def text(self, name: str, source: dict[str, Any] | None = None) -> str | None:
        value = (self.data if source is None else source).get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.odd(name, value)
            return None
        return str(value)[:_MAX_TEXT]

    def money(self, *names: str) -> Money | None:
        for name in names:
            value = self.data.get(name)
            if value is None or value == "":
                continue
            try:
                return parse.money_euros(value)
            except errors.MalformedResponse:
                self.odd(name, value)
                return None
        return None

    def obj(self, name: str) -> dict[str, Any]:
        value = self.data.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.odd(name, value)
            return {}
        return value


def _other(data: dict[str, Any]) -> OtherData:
    fields = []
    for key, value in data.items():
        if _SECRET_KEY.search(str(key)) or isinstance(value, dict | list) or value is None or value == "":
            continue
        text = "true" if value is True else "false" if value is False else str(value)
        fields.append((str(key)[:60], text[:_MAX_TEXT]))
    return OtherData(fields=tuple(fields[:_MAX_FIELDS]))


def _data_for(event_type: str, data: dict[str, Any]) -> EventData:
    r = _Reader(event_type, data)
    if event_type in SECURITY_TYPES - {"tfa_enabled", "tfa_disabled", "new_user"}:
        return AddressData(remote_ip=r.text("remote_ip"))
    if event_type in ("tfa_enabled", "tfa_disabled"):
        return TfaData(provider=r.text("provider"))
    if event_type in TOKEN_TYPES:
        return TokenData(token_name=r.text("token_name") or "", token_id=r.text("token_id"))
    if event_type in KEY_TYPES:
        return KeyData(name=r.text("name") or "", fingerprint=r.text("fingerprint"))
    if event_type == "add_credit":
        # go reads ``amount``; the published example says ``value`` (§8.17).
        return CreditData(amount=r.money("amount", "value"), payment_method=r.text("payment_method"))
    if event_type == "add_payment_method":
        stripe = r.obj("stripe")
        return PaymentMethodData(
            payment_method_type=r.text("payment_method_type"),
            brand=r.text("brand", stripe),
            last4=r.text("last4", stripe),
            exp=r.text("exp", stripe),
            company=r.text("company"),
            vat_number=r.text("vat_number"),
        )
    if event_type == "add_voucher":
        return VoucherData(code=r.text("code"))
    if event_type == "payment_attempt":
        return PaymentAttemptData(
            amount=r.money("amount"), payment_method=r.text("payment_method"), status=r.text("status")
        )
    if event_type == "rename_app":
        return AppChangeData(old_name=r.text("old_name"), new_name=r.text("new_name"))
    if event_type == "deployment":
        return AppChangeData(git_ref=r.text("git_ref"), status=r.text("status"))
    if event_type in ("new_addon", "delete_addon", "upgrade_addon"):
        return AppChangeData(
            addon=r.text("addon_provider_name") or r.text("resource_id"),
            plan=r.text("new_plan_name") or r.text("plan_name"),
        )
    return _other(data)


def _user_from(value: Any) -> EventUser | None:
    if not isinstance(value, dict):
        return None
    return EventUser(
        id=_plain(value.get("id")),
        username=_plain(value.get("username")),
        email=_plain(value.get("email")),
    )


def _plain(value: Any) -> str:
    return str(value)[:_MAX_TEXT] if isinstance(value, str | int) and not isinstance(value, bool) else ""


def event_from(value: Any) -> Event | None:
    """One event, or None (logged) when the entry is not an object at all."""
    if not isinstance(value, dict):
        logger.warning("event that is not an object", extra={"shape": type(value).__name__})
        return None
    event_type = _plain(value.get("type")) or "unknown"
    raw = value.get("type_data")
    if raw is None:
        raw = {}
    elif not isinstance(raw, dict):
        logger.warning("event type_data that is not an object", extra={"event_type": event_type})
        raw = {}
    try:
        created_at = parse.timestamp(value.get("created_at"))
    except errors.MalformedResponse:
        logger.warning("event with an unreadable date", extra={"event_type": event_type})
        created_at = None
    return Event(
        id=_plain(value.get("id")),
        created_at=created_at,
        type=event_type,
        user=_user_from(value.get("user")),
        app_id=_plain(value.get("app_id")) or None,
        app_name=_plain(value.get("app_name")) or None,
        data=_data_for(event_type, raw),
    )


def events_from(body: dict[str, Any]) -> parse.Page[Event]:
    rows = parse.items(parse.root(body, "events"), "events")
    events = [event for event in (event_from(row) for row in rows) if event is not None]
    return parse.Page(items=events, pagination=parse.Pagination.from_meta(body, count=len(rows)))


# Calls -----------------------------------------------------------------------------------------


def event_list(*, auth: Auth, page: int = 1, per_page: int = MAX_PER_PAGE) -> parse.Page[Event]:
    """One page of the account's events, newest first."""
    reply = call("GET", Host.REGIONAL, "/events", params={"page": page, "per_page": per_page}, auth=auth)
    return events_from(reply.body)
