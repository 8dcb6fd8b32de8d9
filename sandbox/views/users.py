"""The user account: self, the three update variants, deletion (§2.1–§2.3, §2.8)."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from sandbox import auth, behaviours, conf, validation
from sandbox.http import (
    Conflict,
    Invalid,
    NotFound,
    json_response,
    no_content,
    optional_str,
    read_json,
    unwrap,
)
from sandbox.models import AccountDeletion, App, User
from sandbox.serializers import user_json

ROLES = ["developer", "cto", "devops", "founder", "student", "other"]
_TEXT_FIELDS = ("fullname", "company", "location")
_BOOL_FIELDS = ("tos_accepted", "email_newsletter")
_PREFERENCE_CHOICES = {"locale": {"en", "fr"}, "theme": {"light", "dark", "system"}}
_PREFERENCE_TYPES: dict[str, type] = {
    "time_zone": str,
    "stream_logs": bool,
    "sticky_search": bool,
    "app_sort_key": str,
    "logs_font_size": int,
}


def _current(request: HttpRequest) -> User:
    return request.sandbox_user  # type: ignore[attr-defined,no-any-return]


def user_self(request: HttpRequest) -> HttpResponse:
    return json_response({"user": user_json(_current(request))})


def user_update_regional(request: HttpRequest, id: str) -> HttpResponse:
    """[doc] ``PATCH|PUT REGIONAL /users/:id``: email and username."""
    user = _current(request)
    if id != user.id:
        raise NotFound("user")
    _user_update(user, read_json(request), fields={"email", "username"})
    return json_response({"user": user_json(user)})


def user_update_profile(request: HttpRequest) -> HttpResponse:
    """[go] ``PATCH AUTH /account/profile``: email and password, no current password."""
    user = _current(request)
    _user_update(user, read_json(request), fields={"email", "password"})
    return json_response({"user": user_json(user)})


def user_update_account(request: HttpRequest) -> HttpResponse:
    """[js] ``PUT AUTH /users/account``: every profile field, plus ``preferences`` (extension)."""
    user = _current(request)
    fields = {"email", "username", "password", "preferences", *_TEXT_FIELDS, *_BOOL_FIELDS}
    _user_update(user, read_json(request), fields=fields, confirm_password=True)
    return json_response({"user": user_json(user)})


def _user_update(user: User, body: dict[str, Any], *, fields: set[str], confirm_password: bool = False) -> None:
    data = unwrap(body, "user")
    errors: dict[str, list[str]] = {}
    changes: dict[str, Any] = {}
    if "email" in fields:
        _check_email(user, optional_str(data, "email", errors), errors, changes)
    if "username" in fields:
        _check_username(user, optional_str(data, "username", errors), errors, changes)
    for field in _TEXT_FIELDS if "fullname" in fields else ():
        _check_text(data, field, errors, changes)
    for field in _BOOL_FIELDS if "tos_accepted" in fields else ():
        _check_bool(data, field, errors, changes)
    if "preferences" in fields and "preferences" in data:
        _check_preferences(user, data["preferences"], errors, changes)
    if "password" in fields:
        _check_password(user, data, errors, changes, confirm=confirm_password)
    if confirm_password and "current_password" in data and data.get("password") in (None, ""):
        # [js] sends the current password with an email change too: checked whenever it is given.
        _check_current_password(user, data, errors)
    if errors:
        raise Invalid(errors)
    for field, value in changes.items():
        setattr(user, field, value)
    if changes:
        user.save()


def _check_email(user: User, email: str | None, errors: dict[str, list[str]], changes: dict[str, Any]) -> None:
    if email is None or email.lower() == user.email.lower():
        return
    problem = validation.email_problem(email)
    if problem is None and User.objects.filter(email__iexact=email).exclude(id=user.id).exists():
        problem = "has already been taken"
    if problem:
        errors.setdefault("email", []).append(problem)
    else:
        changes["email"] = email


def _check_username(user: User, username: str | None, errors: dict[str, list[str]], changes: dict[str, Any]) -> None:
    if username is None or username == user.username:
        return
    problem = validation.username_problem(username)
    if problem is None and User.objects.filter(username__iexact=username).exclude(id=user.id).exists():
        problem = "has already been taken"
    if problem:
        errors.setdefault("username", []).append(problem)
    else:
        changes["username"] = username


def _check_text(data: dict[str, Any], field: str, errors: dict[str, list[str]], changes: dict[str, Any]) -> None:
    value = optional_str(data, field, errors)
    if value is None:
        return
    if len(value) > 200:
        errors.setdefault(field, []).append("is too long (maximum is 200 characters)")
    else:
        changes[field] = value


def _check_bool(data: dict[str, Any], field: str, errors: dict[str, list[str]], changes: dict[str, Any]) -> None:
    if field not in data:
        return
    if isinstance(data[field], bool):
        changes[field] = data[field]
    else:
        errors.setdefault(field, []).append("should be true or false")


def _check_preferences(user: User, value: Any, errors: dict[str, list[str]], changes: dict[str, Any]) -> None:
    if not isinstance(value, dict):
        errors["preferences"] = ["should be an object"]
        return
    merged = dict(user.preferences)
    for key, item in value.items():
        if key in _PREFERENCE_CHOICES:
            if item not in _PREFERENCE_CHOICES[key]:
                allowed = ", ".join(sorted(_PREFERENCE_CHOICES[key]))
                errors.setdefault("preferences", []).append(f"{key} should be one of {allowed}")
                continue
        elif key in _PREFERENCE_TYPES:
            expected = _PREFERENCE_TYPES[key]
            if not isinstance(item, expected) or (expected is int and isinstance(item, bool)):
                errors.setdefault("preferences", []).append(f"{key} has the wrong type")
                continue
        else:
            continue
        merged[key] = item
    changes["preferences"] = merged


def _check_password(
    user: User, data: dict[str, Any], errors: dict[str, list[str]], changes: dict[str, Any], *, confirm: bool
) -> None:
    password = data.get("password")
    if password in (None, ""):
        return
    if not isinstance(password, str):
        errors["password"] = ["should be a string"]
        return
    if not user.password:
        errors["password"] = ["cannot be set here: this account was created with GitHub; use the password reset"]
        return
    problem = validation.password_problem(password)
    if problem:
        errors["password"] = [problem]
    if confirm:
        _check_current_password(user, data, errors)
        confirmation = data.get("password_confirmation")
        if confirmation is not None and confirmation != password:
            errors["password_confirmation"] = ["doesn't match Password"]
    if not errors:
        changes["password"] = auth.password_hash(password)


def _check_current_password(user: User, data: dict[str, Any], errors: dict[str, list[str]]) -> None:
    current = data.get("current_password")
    if not isinstance(current, str) or not auth.password_matches(user, current):
        errors.update(auth.refuse_credential("current_password", "is invalid").body["errors"])


def _delete_account(user: User) -> None:
    """The documented cascade: owned apps first, then the user (tokens and keys go with it)."""
    if conf.strict_delete() and App.objects.filter(owner=user).exists():
        raise Conflict("Cannot delete an account that still owns applications")
    with transaction.atomic():
        App.objects.filter(owner=user).delete()
        user.delete()


def user_delete(request: HttpRequest) -> HttpResponse:
    _delete_account(_current(request))
    return no_content()


DELETION_404 = behaviours.register(
    "user-deletion-404",
    "POST /users/delete and POST /users/delete/:id/confirm answer 404 (a platform without the "
    "emailed confirmation flow): clients fall back on DELETE /users.",
)


def user_deletion_request(request: HttpRequest) -> HttpResponse:
    """[js] step 1: the platform emails a link; ``GET /sandbox/_control/mail`` shows it."""
    if behaviours.active(DELETION_404):
        raise NotFound("route")
    user = _current(request)
    deletion = AccountDeletion.objects.create(user=user, token=secrets.token_urlsafe(24), created_at=timezone.now())
    return json_response(
        {"deletion": {"id": deletion.id, "created_at": deletion.created_at.isoformat()}},
        status=201,
    )


def user_deletion_confirm(request: HttpRequest, id: str) -> HttpResponse:
    if behaviours.active(DELETION_404):
        raise NotFound("route")
    data = unwrap(read_json(request), "deletion")
    deletion = AccountDeletion.objects.select_related("user").filter(id=id).first()
    if deletion is None:
        raise NotFound("deletion")
    if data.get("token") != deletion.token:
        raise Invalid({"token": ["is invalid"]})
    _delete_account(deletion.user)
    return no_content()


def user_stop_free_trial(request: HttpRequest) -> HttpResponse:
    user = _current(request)
    now = timezone.now()
    if user.free_trial_end_time > now:
        user.free_trial_end_time = now
        user.save(update_fields=["free_trial_end_time"])
    return json_response({"user": user_json(user)})


def user_roles(request: HttpRequest) -> HttpResponse:
    return json_response({"roles": ROLES})
