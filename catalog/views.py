from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from accounts.middleware import caller_of
from billing.summary import show_banner
from catalog import estimator as price_estimator
from catalog import services
from dashboard import htmx
from dashboard.caller import Caller
from dashboard.concurrency import page_gather


def _catalog_data(request: HttpRequest, caller: Caller | None) -> services.CatalogData:
    """The page's one gather: the catalog's reads and, for a signed-in person's full page, the
    account banner's (as on every other page; the layout shows it)."""
    if caller is not None and not htmx.wants_fragment(request):
        show_banner(request, caller)
    reads = services.catalog_reads(caller=caller)
    return reads.build(page_gather(request, **reads.calls))


@require_GET
@vary_on_headers("HX-Request")
@cache_control(private=True)
def catalog_page(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    data = _catalog_data(request, caller)
    tabs = services.category_tabs(data.categories, data.providers)
    wanted = request.GET.get("category", "").strip()
    selected = services.selected_tab(tabs, wanted) if wanted else None
    context = {
        "data": data,
        "tabs": tabs,
        "selected": selected,
        "unknown_category": bool(wanted) and selected is None,
        "providers": selected.providers if selected else data.providers,
        "signin_url": reverse("accounts:signin") + "?" + urlencode({"next": request.get_full_path()}),
    }
    return htmx.render(request, "catalog/catalog.html", context, fragment="addons")


@require_GET
@vary_on_headers("HX-Request")
@cache_control(private=True)
def estimator(request: HttpRequest) -> HttpResponse:
    caller = caller_of(request)
    data = _catalog_data(request, caller)
    estimate = price_estimator.estimate(request.GET, data.sizes, data.providers)
    path = reverse("catalog:estimator") + (f"?{estimate.query}" if estimate.query else "")
    context = {"data": data, "estimate": estimate, "share_url": request.build_absolute_uri(path)}
    response = htmx.render(request, "catalog/estimator.html", context, fragment="estimate-update")
    if htmx.wants_fragment(request):
        response["HX-Replace-Url"] = path
    return response
