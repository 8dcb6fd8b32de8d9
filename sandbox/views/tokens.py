"""AUTH tokens: exchange (Basic → JWT), password login with OTP, and token management (§1, §2.5)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from sandbox import auth, ids
from sandbox.activity import event_record, remote_ip
from sandbox.http import (
    Invalid,
    NotFound,
    Unauthorized,
    json_response,
    no_content,
    optional_str,
    read_json,
    unwrap,
)
from sandbox.models import ApiToken, User
from sandbox.serializers import token_json


def token_exchange(request: HttpRequest) -> HttpResponse:
    credentials = auth.basic_credentials(request)
    if credentials is None:
        raise Unauthorized("Basic authentication with an API token is required")
    token = auth.token_by_secret(credentials.password)
    if token is None:
        raise Unauthorized("Invalid token")
    token.last_used_at = timezone.now()
    token.save(update_fields=["last_used_at"])
    return json_response({"token": auth.bearer_issue(token)})


def token_create(request: HttpRequest) -> HttpResponse:
    """Bearer: create for the current user. Basic ``login:password``: the password login."""
    user = request.sandbox_user  # type: ignore[attr-defined]
    if user is None:
        user = _password_login(request)
    name = _token_name(read_json(request))
    token, secret = _token_issue(user, name)
    event_record(user, "new_token", token_name=name, token_id=token.id)
    return json_response({"token": token_json(token, secret)}, status=201)


def _password_login(request: HttpRequest) -> User:
    credentials = auth.basic_credentials(request)
    if credentials is None or not credentials.login:
        message = request.sandbox_auth_error or "You are not authorized to do this operation"  # type: ignore[attr-defined]
        raise Unauthorized(message)
    user = auth.user_by_login(credentials.login)
    if user is None or not auth.password_matches(user, credentials.password):
        if user is not None:
            event_record(user, "login_failure", remote_ip=remote_ip(request))
        raise Unauthorized("Invalid login or password")
    if user.tfa_enabled:
        code = auth.normalize_otp(request.headers.get("X-Authorization-OTP", ""))
        if not code:
            raise Unauthorized("OTP Required")
        if not auth.otp_accept(user, code):
            event_record(user, "login_failure", remote_ip=remote_ip(request))
            raise Unauthorized("Invalid OTP code")
    event_record(user, "login_success", remote_ip=remote_ip(request))
    return user


def _token_name(body: dict[str, object]) -> str:
    data = unwrap(body, "token")
    errors: dict[str, list[str]] = {}
    name = optional_str(data, "name", errors)
    if not errors and not name:
        errors["name"] = ["can't be blank"]
    elif name and len(name) > 200:
        errors["name"] = ["is too long (maximum is 200 characters)"]
    if errors:
        raise Invalid(errors)
    return str(name)


def _token_issue(user: User, name: str) -> tuple[ApiToken, str]:
    secret = ids.token_secret()
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user, name=name, secret_hash=auth.hash_secret(secret), created_at=now, issued_at=now
    )
    return token, secret


def _own_token(request: HttpRequest, token_id: str) -> ApiToken:
    token = ApiToken.objects.filter(id=token_id, user=request.sandbox_user).first()  # type: ignore[attr-defined]
    if token is None:
        raise NotFound("token")
    return token


def token_list(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=request.sandbox_user).order_by("created_at")  # type: ignore[attr-defined]
    return json_response({"tokens": [token_json(token) for token in tokens]})


def token_show(request: HttpRequest, id: str) -> HttpResponse:
    return json_response({"token": token_json(_own_token(request, id))})


def token_renew(request: HttpRequest, id: str) -> HttpResponse:
    token = _own_token(request, id)
    secret = ids.token_secret()
    token.secret_hash = auth.hash_secret(secret)
    token.generation += 1
    token.issued_at = timezone.now()
    token.last_used_at = None
    token.save()
    event_record(token.user, "regenerate_token", token_name=token.name, token_id=token.id)
    return json_response({"token": token_json(token, secret)})


def token_delete(request: HttpRequest, id: str) -> HttpResponse:
    token = _own_token(request, id)
    token_id = token.id
    token.delete()
    event_record(request.sandbox_user, "delete_token", token_name=token.name, token_id=token_id)  # type: ignore[attr-defined]
    return no_content()
