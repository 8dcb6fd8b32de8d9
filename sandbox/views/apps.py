"""Apps per region (§3.6): owned or collaborated. Creation and deletion are minimal extras that
give the 402, 403 and 422 shapes of §5 a real use."""

from __future__ import annotations

import re

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from sandbox import ids
from sandbox.activity import event_record
from sandbox.http import (
    Forbidden,
    Invalid,
    NotFound,
    PaymentRequired,
    json_response,
    no_content,
    optional_str,
    read_json,
    unwrap,
)
from sandbox.models import App, BillingProfile
from sandbox.serializers import app_json

APP_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]{4,46}[a-z0-9]$")


def _visible_apps(request: HttpRequest):  # type: ignore[no-untyped-def]
    user = request.sandbox_user  # type: ignore[attr-defined]
    return (
        App.objects.select_related("owner")
        .filter(Q(owner=user) | Q(collaborators=user), region=request.sandbox_region)  # type: ignore[attr-defined]
        .distinct()
        .order_by("name")
    )


def app_list(request: HttpRequest) -> HttpResponse:
    return json_response({"apps": [app_json(app, request) for app in _visible_apps(request)]})


def app_show(request: HttpRequest, id: str) -> HttpResponse:
    app = _visible_apps(request).filter(Q(id=id) | Q(name=id)).first()
    if app is None:
        raise NotFound("app")
    return json_response({"app": app_json(app, request)})


def app_create(request: HttpRequest) -> HttpResponse:
    user = request.sandbox_user  # type: ignore[attr-defined]
    data = unwrap(read_json(request), "app")
    errors: dict[str, list[str]] = {}
    name = optional_str(data, "name", errors)
    if not errors and not name:
        errors["name"] = ["can't be blank"]
    elif name and not APP_NAME_RE.match(name):
        errors["name"] = ["should contain only lowercap letters, digits and hyphens"]
    elif name and App.objects.filter(region=request.sandbox_region, name=name).exists():  # type: ignore[attr-defined]
        errors["name"] = ["has already been taken"]
    if errors:
        raise Invalid(errors)
    profile = BillingProfile.objects.filter(user=user).first()
    if profile is None or not profile.payment_method or user.suspended_at:
        raise PaymentRequired()
    now = timezone.now()
    app = App.objects.create(
        name=str(name),
        region=request.sandbox_region,  # type: ignore[attr-defined]
        owner=user,
        status="new",
        created_at=now,
        updated_at=now,
        project_id=f"pr-{ids.bare_uuid()}",
    )
    event_record(user, "new_app", app=app, git_source="")
    return json_response({"app": app_json(app, request)}, status=201)


def app_delete(request: HttpRequest, id: str) -> HttpResponse:
    app = _visible_apps(request).filter(Q(id=id) | Q(name=id)).first()
    if app is None:
        raise NotFound("app")
    if app.owner_id != request.sandbox_user.id:  # type: ignore[attr-defined]
        raise Forbidden("Only the owner can delete this application", code="forbidden")
    event_record(app.owner, "delete_app", app=app)
    app.delete()
    return no_content()
