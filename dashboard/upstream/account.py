"""AUTH account resources: SSH keys (§2.6), two-factor authentication (§2.4), regions (§2.7),
and the apps of one region (§3.6, for the "owns no app" check before deletion)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import errors, parse
from .http import Auth, Host, call


@dataclass(frozen=True)
class SshKey:
    id: str
    name: str
    content: str
    # The upstream's colon-hex MD5, when it sends one; the pages show a SHA256 computed locally.
    upstream_fingerprint: str | None
    created_at: datetime | None


def key_from(value: Any) -> SshKey:
    data = parse.obj(value, "key")
    return SshKey(
        id=parse.string(data.get("id")),
        name=parse.string(data.get("name")),
        content=parse.string(data.get("content")),
        upstream_fingerprint=parse.optional_string(data.get("fingerprint")),
        created_at=parse.timestamp(data.get("created_at")),
    )


def key_list(*, auth: Auth) -> list[SshKey]:
    reply = call("GET", Host.AUTH, "/keys", auth=auth)
    return [key_from(row) for row in parse.items(parse.root(reply.body, "keys"), "keys")]


def key_create(*, auth: Auth, name: str, content: str) -> SshKey:
    reply = call("POST", Host.AUTH, "/keys", auth=auth, json={"key": {"name": name, "content": content}})
    return key_from(parse.root(reply.body, "key"))


def key_delete(*, auth: Auth, key_id: str) -> None:
    call("DELETE", Host.AUTH, "/keys/{id}", path_params={"id": key_id}, auth=auth)


@dataclass(frozen=True)
class TfaStatus:
    enabled: bool
    provider: str | None


@dataclass(frozen=True)
class TfaEnrolment:
    """The pending enrolment: ``uri`` is the ``otpauth://`` URI and contains the secret."""

    uri: str

    def __repr__(self) -> str:
        return "TfaEnrolment(uri=***)"


@dataclass(frozen=True)
class TfaActivation:
    """The answer to a successful validation: recovery codes, shown once."""

    recovery_codes: list[str]
    enabled: bool

    def __repr__(self) -> str:
        return f"TfaActivation(recovery_codes=*** x{len(self.recovery_codes)}, enabled={self.enabled})"


def tfa_show(*, auth: Auth) -> TfaStatus:
    reply = call("GET", Host.AUTH, "/client/tfa", auth=auth)
    data = parse.obj(parse.root(reply.body, "tfa"), "tfa")
    return TfaStatus(enabled=parse.boolean(data.get("enabled")), provider=parse.optional_string(data.get("provider")))


def tfa_enrol(*, auth: Auth) -> TfaEnrolment:
    reply = call("POST", Host.AUTH, "/client/tfa", auth=auth, json={"tfa": {"provider": "totp"}})
    data = parse.obj(parse.root(reply.body, "tfa"), "tfa")
    uri = parse.string(data.get("uri"))
    if not uri.startswith("otpauth://"):
        raise errors.MalformedResponse("the 2FA enrolment came without an otpauth URI")
    return TfaEnrolment(uri=uri)


def _attempt(code: str) -> str:
    # As typed, as a string: [js] types it as a number, but an int loses a leading zero ("012345"),
    # and the platform's TOTP library compares strings.
    return code


def tfa_validate(*, auth: Auth, code: str) -> TfaActivation:
    reply = call("POST", Host.AUTH, "/client/tfa/validate", auth=auth, json={"tfa": {"attempt": _attempt(code)}})
    data = parse.obj(parse.root(reply.body, "tfa"), "tfa")
    codes = [parse.string(c) for c in parse.items(data.get("codes"), "codes")]
    user = data.get("user")
    enabled = parse.boolean(user.get("enabled")) if isinstance(user, dict) and "enabled" in user else True
    return TfaActivation(recovery_codes=[c for c in codes if c], enabled=enabled)


def tfa_disable(*, auth: Auth, code: str) -> None:
    call("DELETE", Host.AUTH, "/client/tfa", auth=auth, json={"tfa": {"attempt": _attempt(code)}})


@dataclass(frozen=True)
class Region:
    name: str
    display_name: str
    api: str
    default: bool


def region_from(value: Any) -> Region:
    data = parse.obj(value, "region")
    api = parse.string(data.get("api"))
    if not api.startswith(("https://", "http://")):
        raise errors.MalformedResponse("a region came without an API URL")
    name = parse.string(data.get("name"))
    return Region(
        name=name,
        display_name=parse.string(data.get("display_name"), default=name) or name,
        api=api.rstrip("/"),
        default=parse.boolean(data.get("default")),
    )


def region_list(*, auth: Auth) -> list[Region]:
    reply = call("GET", Host.AUTH, "/regions", auth=auth)
    return [region_from(row) for row in parse.items(parse.root(reply.body, "regions"), "regions")]


@dataclass(frozen=True)
class AppOwner:
    id: str
    username: str
    email: str


@dataclass(frozen=True)
class App:
    id: str
    name: str
    region: str
    status: str
    owner: AppOwner | None


def app_from(value: Any, *, region: str) -> App:
    data = parse.obj(value, "app")
    owner = data.get("owner")
    return App(
        id=parse.string(data.get("id")),
        name=parse.string(data.get("name")),
        region=parse.string(data.get("region"), default=region) or region,
        status=parse.string(data.get("status")),
        owner=AppOwner(
            id=parse.string(owner.get("id")),
            username=parse.string(owner.get("username")),
            email=parse.string(owner.get("email")),
        )
        if isinstance(owner, dict)
        else None,
    )


def app_list(*, auth: Auth, region: Region) -> list[App]:
    """``GET /apps`` on one region's API: the apps the user owns *or* collaborates on."""
    reply = call("GET", Host.REGIONAL, "/apps", auth=auth, api_url=region.api)
    return [app_from(row, region=region.name) for row in parse.items(parse.root(reply.body, "apps"), "apps")]
