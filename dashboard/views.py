from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts import services as account_services
from accounts.http import AuthenticatedRequest, signin_required
from billing import invoices as billing_invoices
from billing import payment as billing_payment
from billing import usage as billing_usage
from dashboard import billing_calendar, htmx, preferences
from dashboard.concurrency import gather, page_gather
from dashboard.preferences import THEMES
from dashboard.upstream import health

logger = logging.getLogger("dashboard")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up and serving. Says nothing about the upstream (see readyz)."""
    return JsonResponse({"status": "ok"})


def cache_answers() -> bool | None:
    """Whether the shared cache (Redis) answers; None when the cache is this process's own memory."""
    if str(settings.CACHES["default"]["BACKEND"]).endswith("LocMemCache"):
        return None
    try:
        cache.set("readyz:ping", "pong", 10)
        return bool(cache.get("readyz:ping") == "pong")
    except Exception as exc:  # any failure of the cache client means "not ready", never a 500
        logger.warning("readiness: the cache does not answer", extra={"error": type(exc).__name__})
        return False


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready when the upstream answers (the public catalog on REGIONAL, and AUTH: a 401 is an answer)
    and, when one is configured, the shared cache that holds sessions."""
    checks: dict[str, bool] = {}
    cache_ok = cache_answers()
    upstream = cache.get("readyz") if cache_ok else None
    if upstream is None:
        # Both hosts side by side, so a down upstream costs one timeout, not two.
        answers = gather(**{name: (lambda name=name: health.host_answers(name)) for name in health.PROBES})
        upstream = {name: answer is True for name, answer in answers.items()}
        if cache_ok is not False:
            with contextlib.suppress(Exception):  # the cache may fail between the ping and this write
                cache.set("readyz", upstream, 5)
    checks.update(upstream)
    if cache_ok is not None:
        checks["cache"] = cache_ok
    ready = all(checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


@require_POST
def theme_set(request: HttpRequest) -> HttpResponse:
    """Remembers the theme in a cookie, read on the server so the page never flashes the wrong one."""
    theme = request.POST.get("theme", "system")
    if theme not in THEMES:
        theme = "system"
    next_url = request.POST.get("next") or reverse("overview")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}) or not next_url.startswith(
        "/"
    ):
        next_url = reverse("overview")  # not "/": on a sub-path that would leave the site
    response: HttpResponse
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
    else:
        response = HttpResponseRedirect(next_url)
    preferences.remember(request, response, language=None, theme=theme)
    return response


OVERVIEW_PARTS = ("account", "invoice", "credit", "usage")


@require_GET
@signin_required
@vary_on_headers("HX-Request")
def overview(request: AuthenticatedRequest) -> HttpResponse:
    """The account at a glance. Each part is fetched side by side and fails on its own, with a retry
    that reloads only that part (``?part=…`` with htmx)."""
    part = request.GET.get("part", "")
    fragment = f"{part}-part" if htmx.wants_fragment(request) and part in OVERVIEW_PARTS else None
    wanted = (part,) if fragment else OVERVIEW_PARTS
    today = billing_calendar.today()
    # Each part's reads, by the names the account banner gives the same reads (``user``,
    # ``invoices``): the page's one gather makes each once.
    reads: dict[str, dict[str, Callable[[], object]]] = {
        "account": {"user": lambda: account_services.current_user(caller=request.caller)},
        "invoice": {"invoices": lambda: billing_invoices.all_invoices(caller=request.caller)},
        "credit": {"profile": lambda: billing_payment.billing_profile(caller=request.caller)},
    }
    usage = None
    if "usage" in wanted:
        usage = billing_usage.usage_reads(caller=request.caller, date_from=today.replace(day=1), date_to=today)
        reads["usage"] = usage.calls
    gathered = page_gather(request, **{name: read for part in wanted for name, read in reads.get(part, {}).items()})
    results: dict[str, object] = {
        part: gathered[name]
        for part, name in (("account", "user"), ("invoice", "invoices"), ("credit", "profile"))
        if part in wanted
    }
    if usage is not None:
        try:
            results["usage"] = usage.build(gathered)
        except Exception as exc:  # the part shows its failure; the rest of the page still renders
            results["usage"] = exc
    context: dict[str, object] = {"now_dt": timezone.now(), "today": today}
    for name, result in results.items():
        failed = isinstance(result, Exception)
        context[f"{name}_error"] = result if failed else None
        context[name] = None if failed else result
    invoices = results.get("invoice")
    if isinstance(invoices, list):
        context["last_invoice"] = billing_invoices.last_complete_invoice(invoices)
        context["running_invoice"] = next((i for i in invoices if billing_calendar.in_progress(i)), None)
        context["failed_invoices"], _new = billing_invoices.invoices_needing_action(invoices)
    return htmx.render(request, "dashboard/overview.html", context, fragment=fragment)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
