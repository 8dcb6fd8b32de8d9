"""Public catalog (§4), auth optional: addon categories and providers, plans, container sizes.
Account-only sizes appear only for their account's bearer."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse

from sandbox.catalog_data import CATEGORIES, PROVIDER_BY_ID, PROVIDERS, SIZES, logo_svg, provider_json
from sandbox.http import NotFound, json_response
from sandbox.models import App, ContainerSize
from sandbox.serializers import custom_size_json


def addon_category_list(request: HttpRequest) -> HttpResponse:
    return json_response({"addon_categories": CATEGORIES})


def addon_provider_list(request: HttpRequest) -> HttpResponse:
    category_id = request.GET.get("category_id")
    host = request.get_host()
    providers = [provider_json(p, host) for p in PROVIDERS if not category_id or p["category"]["id"] == category_id]
    return json_response({"addon_providers": providers})


def addon_provider_plans(request: HttpRequest, id: str) -> HttpResponse:
    provider = PROVIDER_BY_ID.get(id)
    if provider is None:
        raise NotFound("addon_provider")
    show_all = request.GET.get("show_all") == "true"
    plans = [plan.json() for plan in provider["plans"] if show_all or not plan.disabled]
    return json_response({"plans": plans})


def container_size_list(request: HttpRequest) -> HttpResponse:
    region = request.sandbox_region  # type: ignore[attr-defined]
    sizes = [size.json(region) for size in SIZES]
    user = request.sandbox_user  # type: ignore[attr-defined]
    if user is not None:
        owners = [user.id]
        app_id = request.GET.get("app_id")
        if app_id:
            app = App.objects.filter(Q(owner=user) | Q(collaborators=user), id=app_id).first()
            if app is not None:
                owners.append(app.owner_id)
        custom = ContainerSize.objects.filter(user_id__in=owners).order_by("ordinal")
        sizes += [custom_size_json(size) for size in custom]
    return json_response({"container_sizes": sizes})


def provider_logo(request: HttpRequest, id: str) -> HttpResponse:
    svg = logo_svg(id)
    if svg is None:
        raise Http404
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    response["Access-Control-Allow-Origin"] = "*"
    return response
