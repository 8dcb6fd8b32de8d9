from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthenticatedRequest, signin_required
from accounts.services import current_user
from activity import services, wording
from dashboard import htmx
from dashboard.concurrency import gather, page_gather, value
from dashboard.listing import positive_int
from dashboard.upstream import errors


def _query(*, kind: str, per_page: int, page: int | None = None) -> str:
    params: dict[str, str] = {}
    if kind:
        params["kind"] = kind
    if per_page != services.DEFAULT_PER_PAGE:
        params["per_page"] = str(per_page)
    if page and page > 1:
        params["page"] = str(page)
    return urlencode(params)


def _kind_links(kind: str, per_page: int) -> list[dict[str, object]]:
    choices = [("", wording.KIND_LABELS_ALL), *((k, wording.KIND_LABELS[k]) for k in wording.KINDS)]
    return [
        {"kind": value, "label": label, "query": _query(kind=value, per_page=per_page), "current": value == kind}
        for value, label in choices
    ]


@require_GET
@signin_required
@vary_on_headers("HX-Request")
@never_cache
def activity(request: AuthenticatedRequest) -> HttpResponse:
    kind = services.kind_from(request.GET.get("kind"))
    page = positive_int(request.GET.get("page"), 1)
    per_page = positive_int(request.GET.get("per_page"), services.DEFAULT_PER_PAGE, choices=services.PER_PAGE_CHOICES)
    results = page_gather(  # the user (for the time zone) and the events, with the banner's reads
        request,
        user=lambda: current_user(caller=request.caller),
        activity=lambda: services.activity_page(caller=request.caller, kind=kind, page=page, per_page=per_page),
    )
    result: services.ActivityPage | errors.UpstreamError = results["activity"]
    if not isinstance(result, errors.UpstreamError):
        result = value(result)
    context: dict[str, object] = {
        "kind": kind,
        "kind_label": wording.KIND_LABELS.get(kind, ""),
        "kinds": _kind_links(kind, per_page),
        "per_page": per_page,
        "per_page_choices": services.PER_PAGE_CHOICES,
        "query": _query(kind=kind, per_page=per_page, page=page),
        "filter_query": _query(kind=kind, per_page=per_page),
        "zone": services.time_zone_of(value(results["user"])),
    }
    if isinstance(result, Exception):
        context["activity_error"] = result
    else:
        context["activity"] = result
        p = result.page.pagination
        if p.previous_page:
            context["previous_query"] = _query(kind=kind, per_page=per_page, page=p.previous_page)
        if p.next_page:
            context["next_query"] = _query(kind=kind, per_page=per_page, page=p.next_page)
    return htmx.render(request, "activity/activity.html", context, fragment="activity-results")


@require_GET
@signin_required
@never_cache
def activity_csv(request: AuthenticatedRequest) -> HttpResponse:
    """The filtered list (every page of it) as CSV, times in the person's time zone."""
    kind = services.kind_from(request.GET.get("kind"))
    results = gather(  # a download: no layout, so no banner
        user=lambda: current_user(caller=request.caller), events=lambda: services.event_window(caller=request.caller)
    )
    zone = services.time_zone_of(value(results["user"]))
    lines = services.filtered(services.lines_of(value(results["events"]).items), kind)
    response = HttpResponse(services.activity_csv(lines, zone), content_type="text/csv; charset=utf-8")
    suffix = f"-{kind}" if kind else ""
    response["Content-Disposition"] = f'attachment; filename="activity{suffix}-{timezone.localdate():%Y-%m-%d}.csv"'
    return response
