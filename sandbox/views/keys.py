"""SSH keys (§2.6): real OpenSSH parsing, fingerprint, per-user duplicates refused."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from sandbox import sshkeys
from sandbox.activity import event_record
from sandbox.http import Invalid, NotFound, json_response, no_content, optional_str, read_json, unwrap
from sandbox.models import SshKey
from sandbox.serializers import key_json


def _own_key(request: HttpRequest, key_id: str) -> SshKey:
    key = SshKey.objects.select_related("user").filter(id=key_id, user=request.sandbox_user).first()  # type: ignore[attr-defined]
    if key is None:
        raise NotFound("key")
    return key


def key_list(request: HttpRequest) -> HttpResponse:
    keys = SshKey.objects.select_related("user").filter(user=request.sandbox_user)  # type: ignore[attr-defined]
    return json_response({"keys": [key_json(key) for key in keys.order_by("created_at")]})


def key_show(request: HttpRequest, id: str) -> HttpResponse:
    return json_response({"key": key_json(_own_key(request, id))})


def key_create(request: HttpRequest) -> HttpResponse:
    user = request.sandbox_user  # type: ignore[attr-defined]
    data = unwrap(read_json(request), "key")
    errors: dict[str, list[str]] = {}
    name = optional_str(data, "name", errors)
    content = optional_str(data, "content", errors)
    if not name and "name" not in errors:
        errors["name"] = ["can't be blank"]
    parsed = None
    if not content and "content" not in errors:
        errors["content"] = ["can't be blank"]
    elif content:
        try:
            parsed = sshkeys.parse(content)
        except sshkeys.KeyError_ as exc:
            errors["content"] = [str(exc)]
    if parsed and SshKey.objects.filter(user=user, blob_sha256=parsed.blob_sha256).exists():
        errors["content"] = ["has already been taken"]
    if errors or parsed is None:
        raise Invalid(errors)
    key = SshKey.objects.create(
        user=user,
        name=str(name)[:200],
        content=parsed.content,
        blob_sha256=parsed.blob_sha256,
        fingerprint=parsed.fingerprint,
        created_at=timezone.now(),
    )
    event_record(user, "new_key", name=key.name, fingerprint=key.fingerprint)
    return json_response({"key": key_json(key)}, status=201)


def key_delete(request: HttpRequest, id: str) -> HttpResponse:
    key = _own_key(request, id)
    key.delete()
    event_record(key.user, "delete_key", name=key.name)
    return no_content()
