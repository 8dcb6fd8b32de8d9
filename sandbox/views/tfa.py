"""Two-factor authentication, [js] flavour (§2.4): enrol, validate (recovery codes), disable."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pyotp
from django.http import HttpRequest, HttpResponse

from sandbox import auth
from sandbox.activity import event_record
from sandbox.http import Invalid, json_response, read_json, unwrap
from sandbox.models import User


def _tfa_json(user: User) -> dict[str, Any]:
    data: dict[str, Any] = {"uuid": user.id, "enabled": user.tfa_enabled}
    if user.tfa_enabled or user.tfa_pending_secret:
        data["provider"] = "totp"
    return data


def tfa_show(request: HttpRequest) -> HttpResponse:
    return json_response({"tfa": _tfa_json(request.sandbox_user)})  # type: ignore[attr-defined]


def tfa_enrol(request: HttpRequest) -> HttpResponse:
    user: User = request.sandbox_user  # type: ignore[attr-defined]
    data = unwrap(read_json(request), "tfa")
    if data.get("provider", "totp") != "totp":
        raise Invalid({"provider": ["is not supported (only totp)"]})
    if user.tfa_enabled:
        raise Invalid({"tfa": ["is already enabled"]})
    user.tfa_pending_secret = pyotp.random_base32()
    user.save(update_fields=["tfa_pending_secret"])
    uri = pyotp.TOTP(user.tfa_pending_secret).provisioning_uri(name=user.email, issuer_name="Scalingo")
    body = {**_tfa_json(user), "enabled": False, "uri": uri.replace(quote(user.email), user.email)}
    return json_response({"tfa": body}, status=201)


def _attempt(request: HttpRequest) -> str:
    data = unwrap(read_json(request), "tfa")
    code = auth.normalize_otp(data.get("attempt"))
    if not code:
        raise Invalid({"attempt": ["can't be blank"]})
    return code


def tfa_validate(request: HttpRequest) -> HttpResponse:
    user: User = request.sandbox_user  # type: ignore[attr-defined]
    code = _attempt(request)
    if not user.tfa_pending_secret:
        raise Invalid({"tfa": ["enrolment not started: POST /client/tfa first"]})
    if not auth.totp_valid(user.tfa_pending_secret, code):
        raise auth.refuse_credential("attempt", "is invalid")
    codes, hashes = auth.recovery_codes()
    user.tfa_secret, user.tfa_pending_secret = user.tfa_pending_secret, ""
    user.tfa_enabled = True
    user.tfa_recovery_hashes = hashes
    user.save()
    event_record(user, "tfa_enabled", provider="totp")
    return json_response({"tfa": {"codes": codes, "user": _tfa_json(user)}})


def tfa_disable(request: HttpRequest) -> HttpResponse:
    user: User = request.sandbox_user  # type: ignore[attr-defined]
    code = _attempt(request)
    if not user.tfa_enabled:
        raise Invalid({"tfa": ["is not enabled"]})
    if not auth.otp_accept(user, code):
        raise auth.refuse_credential("attempt", "is invalid")
    user.tfa_enabled = False
    user.tfa_secret = ""
    user.tfa_recovery_hashes = []
    user.save()
    event_record(user, "tfa_disabled")
    return json_response({"tfa": _tfa_json(user)})
