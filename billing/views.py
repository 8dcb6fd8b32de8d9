from __future__ import annotations

import logging
import math
import secrets
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from accounts import services as account_services
from accounts.http import AuthenticatedRequest, signin_required
from activity import services as activity_services
from activity.payments import Outcome, operation_outcomes
from billing import exports, payment
from billing import invoices as billing_invoices
from billing import reports as billing_reports
from billing import usage as billing_usage
from billing.forms import BillingProfileForm, InvoiceFilterForm, UsageRangeForm
from dashboard import billing_calendar, concurrency, htmx
from dashboard.concurrency import value
from dashboard.feedback import Wording, add_field_errors, upstream_message
from dashboard.listing import csv_text, paginate, positive_int
from dashboard.upstream import billing as upstream
from dashboard.upstream import downloads, errors
from dashboard.upstream.parse import Page

logger = logging.getLogger("dashboard.billing")

CHART_MONTHS = (12, 24, 36)


def _today() -> date:
    """The platform's date (UTC): usage days, billing months and card expiry follow its calendar."""
    return billing_calendar.today()


# Billing page ----------------------------------------------------------------------------------


@require_GET
@signin_required
@vary_on_headers("HX-Request")
@never_cache
def billing(request: AuthenticatedRequest) -> HttpResponse:
    page = positive_int(request.GET.get("page"), 1)
    per_page = positive_int(
        request.GET.get("per_page"), billing_invoices.DEFAULT_PER_PAGE, choices=billing_invoices.PER_PAGE_CHOICES
    )
    if htmx.wants_fragment(request) and request.htmx.target == "payment-history":
        history = _operations(request, page, per_page)
        return htmx.render(request, "billing/billing.html", history, fragment="payment-history")
    parts = concurrency.page_gather(
        request,
        profile=lambda: payment.billing_profile(caller=request.caller),
        operations=lambda: payment.operations_page(caller=request.caller, page=page, per_page=per_page),
        user=lambda: account_services.current_user(caller=request.caller),
        **_outcome_sources(request),
    )
    profile = parts["profile"]
    operations = parts["operations"]
    situation = None
    if not isinstance(parts["user"], Exception):
        situation = payment.payment_situation(
            user=parts["user"],
            invoices=[] if isinstance(parts["invoices"], Exception) else parts["invoices"],
            profile=None if isinstance(profile, Exception) else profile,
            profile_known=not isinstance(profile, Exception),
        )
    context = {
        "outcomes": _outcomes(operations, parts),
        "situation": situation,
        "platform_billing_url": payment.PLATFORM_BILLING_URL,
        "profile": None if isinstance(profile, Exception) else profile,
        "profile_error": profile if isinstance(profile, Exception) else None,
        "card_state": None if isinstance(profile, Exception) else payment.card_expiry_state(profile, _today()),
        "operations": None if isinstance(operations, Exception) else operations,
        "operations_error": operations if isinstance(operations, Exception) else None,
        "per_page": per_page,
        "per_page_choices": billing_invoices.PER_PAGE_CHOICES,
    }
    return render(request, "billing/billing.html", context)


def _outcome_sources(request: AuthenticatedRequest) -> dict[str, Callable[[], object]]:
    """What tells whether each payment went through, read alongside the operations (the invoices
    by the name the account banner gives them: one read for both)."""
    return {
        "attempts": lambda: activity_services.payment_attempts(caller=request.caller),
        "invoices": lambda: billing_invoices.all_invoices(caller=request.caller),
    }


def _outcomes(operations: object, parts: dict[str, Any]) -> dict[str, Outcome]:
    if not isinstance(operations, Page):
        return {}
    attempts = parts.get("attempts")
    read = parts["invoices"]
    # Unreadable invoices: the attempts still tell; the page says nothing rather than fail.
    invoices: list[upstream.Invoice] = [] if isinstance(read, errors.UpstreamError) else value(read)
    return operation_outcomes(
        operations.items, attempts=attempts if isinstance(attempts, list) else (), invoices=invoices
    )


def _operations(request: AuthenticatedRequest, page: int, per_page: int) -> dict[str, object]:
    parts = concurrency.page_gather(
        request,
        operations=lambda: payment.operations_page(caller=request.caller, page=page, per_page=per_page),
        **_outcome_sources(request),
    )
    operations = parts["operations"]
    error = operations if isinstance(operations, Exception) else None
    if error is not None and not isinstance(error, errors.UpstreamError):
        raise error
    return {
        "outcomes": _outcomes(operations, parts),
        "operations": None if error else operations,
        "operations_error": error,
        "per_page": per_page,
        "per_page_choices": billing_invoices.PER_PAGE_CHOICES,
    }


@require_http_methods(["GET", "POST"])
@signin_required
@never_cache
def billing_profile_edit(request: AuthenticatedRequest) -> HttpResponse:
    """The profile form: inline in the Billing page with htmx, its own page without JS."""
    profile = payment.billing_profile(caller=request.caller)
    template = htmx.template(request, "billing/profile_form.html", "profile-form")
    if request.method == "GET":
        initial = profile.editable_values() if profile else {}
        return render(request, template, {"form": BillingProfileForm(initial=initial), "profile": profile})
    form = BillingProfileForm(request.POST, initial=profile.editable_values() if profile else {})
    if form.is_valid():
        try:
            payment.billing_profile_save(caller=request.caller, profile=profile, fields=form.cleaned_data)
        except errors.ValidationFailed as exc:
            add_field_errors(form, exc)
        except errors.UpstreamError as exc:
            form.add_error(None, upstream_message(exc, wording=SAVE))
        else:
            messages.success(request, _("Billing profile saved."))
            return htmx.redirect(request, reverse("billing:billing"))
    status = 200 if htmx.wants_fragment(request) else 400
    return render(request, template, {"form": form, "profile": profile}, status=status)


# Saving the billing profile: the platform's reasons are not said, only that nothing was saved.
SAVE = Wording(
    unreachable=gettext_lazy(
        "The platform API cannot be reached right now. Nothing was saved; please try again in a moment."
    ),
    busy=gettext_lazy("The platform is receiving too many requests from this account. Wait a minute and try again."),
    conflict=gettext_lazy("The platform refused the change. Nothing was saved."),
    bad_request=gettext_lazy("The platform refused the change. Nothing was saved."),
    forbidden=gettext_lazy("The platform refused the change. Nothing was saved."),
    unreadable=gettext_lazy(
        "The platform sent an answer we could not read. Reload the page to see whether the change was made."
    ),
)


# Invoices --------------------------------------------------------------------------------------


def _filter_query(request: AuthenticatedRequest, **changes: object) -> str:
    params = {k: v for k, v in request.GET.items() if k in ("state", "month_from", "month_to", "per_page") and v}
    params.update({k: str(v) for k, v in changes.items() if v})
    return urlencode(params)


@require_GET
@signin_required
@vary_on_headers("HX-Request")
@never_cache
def invoices(request: AuthenticatedRequest) -> HttpResponse:
    data = request.GET.copy()
    data.setdefault("per_page", str(billing_invoices.DEFAULT_PER_PAGE))
    form = InvoiceFilterForm(data)
    criteria = form.criteria()
    page = positive_int(request.GET.get("page"), 1)
    per_page = positive_int(
        request.GET.get("per_page"), billing_invoices.DEFAULT_PER_PAGE, choices=billing_invoices.PER_PAGE_CHOICES
    )
    context: dict[str, object] = {"form": form, "criteria": criteria, "per_page": per_page}
    context["query"] = _filter_query(request)
    read = concurrency.page_gather(request, invoices=lambda: billing_invoices.all_invoices(caller=request.caller))
    if isinstance(read["invoices"], errors.UpstreamError):
        context["invoices_error"] = read["invoices"]
    else:
        every: list[upstream.Invoice] = value(read["invoices"])
        matching = billing_invoices.filter_invoices(every, criteria)
        shown = paginate(matching, page=page, per_page=per_page)
        context["page"] = shown
        context["failed"], context["new"] = billing_invoices.invoices_needing_action(every)
        context["has_invoices"] = bool(every)
        context["show_per_page"] = len(every) > min(billing_invoices.PER_PAGE_CHOICES)
        if shown.pagination.previous_page:
            context["previous_query"] = _filter_query(request, page=shown.pagination.previous_page)
        if shown.pagination.next_page:
            context["next_query"] = _filter_query(request, page=shown.pagination.next_page)
    return htmx.render(request, "billing/invoices.html", context, fragment="invoice-results")


@require_GET
@signin_required
@never_cache
def invoices_csv(request: AuthenticatedRequest) -> HttpResponse:
    """The filtered list (every page of it) as CSV, amounts in euros with a dot."""
    form = InvoiceFilterForm(request.GET)
    matching = billing_invoices.filter_invoices(billing_invoices.all_invoices(caller=request.caller), form.criteria())
    body = csv_text(exports.INVOICE_CSV_HEADER, exports.invoice_csv_rows(matching))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="invoices-{_today():%Y-%m-%d}.csv"'
    return response


def _invoice_or_404(request: AuthenticatedRequest, invoice_id: str) -> upstream.Invoice:
    try:
        return billing_invoices.invoice(caller=request.caller, invoice_id=invoice_id)
    except errors.NotFound:
        raise Http404("invoice") from None


@require_GET
@signin_required
@never_cache
def invoice_detail(request: AuthenticatedRequest, invoice_id: str) -> HttpResponse:
    parts = concurrency.page_gather(
        request,
        invoice=lambda: _invoice_or_404(request, invoice_id),
        profile=lambda: payment.billing_profile(caller=request.caller),  # the address, printed with the figures
    )
    invoice = parts["invoice"]
    if isinstance(invoice, Exception):
        raise invoice
    profile = parts["profile"]
    return render(
        request,
        "billing/invoice_detail.html",
        {
            "invoice": invoice,
            "check": billing_invoices.invoice_check(invoice),
            "filename": billing_invoices.invoice_filename(invoice),
            "profile": None if isinstance(profile, Exception) else profile,
        },
    )


@require_GET
@signin_required
@never_cache
def invoice_download(request: AuthenticatedRequest, invoice_id: str) -> HttpResponseBase:
    """The PDF, streamed through the dashboard so the browser never needs the bearer.

    With htmx, the link is resolved first (upstream 302) and the browser is then sent to this same
    URL for the file, or the failure is shown in place of the button. Without JS, a failure is an
    error page, never a broken file."""
    try:
        invoice = billing_invoices.invoice(caller=request.caller, invoice_id=invoice_id)
        # A host the dashboard may not contact is refused here, before anything is fetched from it.
        location = billing_invoices.invoice_pdf_target(caller=request.caller, invoice_id=invoice_id)
    except errors.NotFound:
        return _download_failed(request, invoice_id, _("This invoice does not exist or is not yours."), 404)
    except errors.UpstreamError as exc:
        billing_invoices.forget_pdf_location(caller=request.caller, invoice_id=invoice_id)
        return _download_failed(request, invoice_id, _download_message(exc), _download_status(exc))
    if htmx.is_htmx(request):
        if billing_invoices.downloads_busy():
            return _downloads_busy(request, invoice_id)
        return htmx.redirect(request, reverse("billing:invoice_download", args=[invoice_id]))
    slot = billing_invoices.download_slot()
    if slot is None:
        return _downloads_busy(request, invoice_id)
    try:
        download = billing_invoices.invoice_pdf_open(caller=request.caller, invoice_id=invoice_id, location=location)
    except errors.UpstreamError as exc:
        slot.release()
        return _download_failed(request, invoice_id, _download_message(exc), _download_status(exc))
    # The bytes go to the browser as they come; closing the response ends the download and frees
    # the slot, whether it finished, failed or the person went away.
    response = StreamingHttpResponse(slot.hold(download), content_type="application/pdf")
    if download.content_length is not None:
        response["Content-Length"] = str(download.content_length)  # a cut-off file shows as one
    response["Content-Disposition"] = f'attachment; filename="{billing_invoices.invoice_filename(invoice)}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx passes the bytes on as they come
    return response


# A PDF or an archive fetched through the dashboard: the file host's own failures are said apart.
DOWNLOAD = Wording(
    unreachable=gettext_lazy(
        "The invoice PDF could not be fetched from the platform right now. Please try again in a moment."
    ),
    busy=gettext_lazy("Too many requests to the platform: wait a minute, then download the PDF again."),
    file_host_redirects=gettext_lazy(
        "The platform's file host sent the download through too many redirects, so it was stopped. "
        "Please try again later, or download the PDF from the platform's own dashboard."
    ),
    file_host_refused=gettext_lazy(
        "The platform sent the download to a host this dashboard is not allowed to contact, so nothing "
        "was fetched. Please download the PDF from the platform's own dashboard, and tell this "
        "dashboard's operator."
    ),
    file_host_slow=ngettext_lazy(
        "The platform's file host sent the PDF too slowly, so the download was stopped after "
        "%(seconds)s second. Please try again in a few minutes.",
        "The platform's file host sent the PDF too slowly, so the download was stopped after "
        "%(seconds)s seconds. Please try again in a few minutes.",
        "seconds",
    ),
)


def _download_message(exc: errors.UpstreamError) -> str:
    return upstream_message(exc, wording=DOWNLOAD, deadline_seconds=math.ceil(settings.DOWNLOAD_DEADLINE_SECONDS))


def _download_status(exc: errors.UpstreamError) -> int:
    if isinstance(exc, downloads.DownloadRefused):
        return 502
    if isinstance(exc, errors.UpstreamTimeout):
        return 504
    return 503


DOWNLOADS_RETRY_AFTER_SECONDS = 10


def _downloads_busy(request: AuthenticatedRequest, invoice_id: str | None) -> HttpResponse:
    """Every download slot of this process is taken: a clear 503 the person can retry."""
    message = _("Too many downloads are running on this server right now. Please try again in a few seconds.")
    if invoice_id is None:
        response = render(request, "billing/download_failed.html", {"message": message}, status=503)
    else:
        response = _download_failed(request, invoice_id, message, 503)
    response["Retry-After"] = str(DOWNLOADS_RETRY_AFTER_SECONDS)
    return response


def _download_failed(request: AuthenticatedRequest, invoice_id: str, message: str, status: int) -> HttpResponse:
    # htmx swaps 4xx/5xx answers too (base.html), so the message replaces the button.
    context = {"message": message, "invoice_id": invoice_id}
    return htmx.render(request, "billing/download_failed.html", context, fragment="download-error", status=status)


# Reports (team admins) -------------------------------------------------------------------------


@require_GET
@signin_required
@vary_on_headers("HX-Request")
@never_cache
def reports(request: AuthenticatedRequest) -> HttpResponse:
    months = positive_int(request.GET.get("months"), 12, choices=CHART_MONTHS)
    today = _today()
    context: dict[str, object] = {"months": months, "month_choices": CHART_MONTHS}
    read = concurrency.page_gather(request, invoices=lambda: billing_invoices.all_invoices(caller=request.caller))
    if isinstance(read["invoices"], errors.UpstreamError):
        context["invoices_error"] = read["invoices"]
        return htmx.render(request, "billing/reports.html", context, fragment="spend")
    every: list[upstream.Invoice] = value(read["invoices"])
    series = billing_reports.monthly_spend(every, months=months)
    context["series"] = series
    context["chart"] = billing_reports.spend_chart(series)
    context["running"] = billing_reports.running_month_spend(every)
    if htmx.wants_fragment(request):
        return htmx.render(request, "billing/reports.html", context, fragment="spend")
    years = sorted({i.billing_month.year for i in every if i.billing_month}, reverse=True)
    year = positive_int(request.GET.get("year"), years[0] if years else today.year)
    context.update(
        {
            "changes": billing_reports.month_over_month(every),
            "years": years,
            "year": year,
            "year_count": sum(1 for i in every if i.billing_month and i.billing_month.year == year),
            "job": secrets.token_urlsafe(12),
        }
    )
    return render(request, "billing/reports.html", context)


@require_GET
@signin_required
@never_cache
def invoices_archive(request: AuthenticatedRequest, year: int) -> HttpResponseBase:
    """Every PDF of a year in one ZIP, streamed while it is built."""
    try:
        every = billing_invoices.all_invoices(caller=request.caller)
    except errors.UpstreamError as exc:
        return render(request, "billing/download_failed.html", {"message": _download_message(exc)}, status=503)
    chosen = sorted(
        (i for i in every if i.billing_month and i.billing_month.year == year),
        key=lambda i: (i.billing_month, i.invoice_number),
    )
    if not chosen:
        raise Http404("no invoices that year")
    job = request.GET.get("job", "")
    job = job if job.replace("-", "").replace("_", "").isalnum() and len(job) <= 40 else ""
    slot = billing_invoices.download_slot()  # one slot for the whole archive: its PDFs come one by one
    if slot is None:
        return _downloads_busy(request, None)
    response = StreamingHttpResponse(
        slot.hold(exports.invoice_archive(caller=request.caller, invoices=chosen, job=job or None)),
        content_type="application/zip",
    )
    response["Content-Disposition"] = f'attachment; filename="invoices-{year}.zip"'
    response["Cache-Control"] = "private, no-store"
    response["X-Accel-Buffering"] = "no"
    return response


@require_GET
@signin_required
@never_cache
def invoices_archive_progress(request: AuthenticatedRequest, job: str) -> HttpResponse:
    """How far the archive is (PDFs packed out of the total), polled by the reports page."""
    progress = exports.archive_progress(caller=request.caller, job=job)
    waited = positive_int(request.GET.get("waited"), 1)
    context = {"progress": progress, "job": job, "waited": waited}
    return render(request, "billing/reports.html#archive-progress", context)


# Usage -----------------------------------------------------------------------------------------


@require_GET
@signin_required
@vary_on_headers("HX-Request")
@never_cache
def usage(request: AuthenticatedRequest) -> HttpResponse:
    today = _today()
    form = UsageRangeForm(request.GET, today=today)
    chosen = form.usage_range()
    context: dict[str, object] = {"form": form, "range": chosen, "today": today}
    status = 200
    reads: dict[str, Callable[[], object]] = {}
    usage_reads = None
    if chosen is not None:
        usage_reads = billing_usage.usage_reads(
            caller=request.caller, date_from=chosen.date_from, date_to=chosen.date_to
        )
        reads.update(usage_reads.calls)
        if chosen.date_from.day == 1:  # the invoices of the same whole months, set beside the usage
            reads["invoices"] = lambda: billing_invoices.all_invoices(caller=request.caller)
    results = concurrency.page_gather(request, **reads)  # with the banner's reads on a full page
    if chosen is None or usage_reads is None:
        status = 200 if htmx.wants_fragment(request) else 400
    else:
        try:
            context["report"] = usage_reads.build(results)
        except errors.UpstreamError as exc:
            context["usage_error"] = exc
        context["invoiced"] = _invoiced_months(results.get("invoices"), chosen.date_from, chosen.date_to)
        context["query"] = urlencode(
            {"preset": chosen.preset}
            if chosen.preset != "custom"
            else {"preset": "custom", "from": chosen.date_from.isoformat(), "to": chosen.date_to.isoformat()}
        )
    return htmx.render(request, "billing/usage.html", context, fragment="usage-body", status=status)


def _invoiced_months(read: Any, date_from: date, date_to: date) -> billing_usage.InvoicedMonths | None:
    """The invoices of the same whole months, to set beside the usage; left out if unreadable."""
    if date_from.day != 1 or read is None or isinstance(read, errors.UpstreamError):
        return None
    every: list[upstream.Invoice] = value(read)
    return billing_usage.invoiced_months(every, date_from=date_from, date_to=date_to)


@require_GET
@signin_required
@never_cache
def usage_csv(request: AuthenticatedRequest) -> HttpResponse:
    form = UsageRangeForm(request.GET, today=_today())
    chosen = form.usage_range()
    if chosen is None:
        query = request.GET.urlencode()
        return HttpResponseRedirect(reverse("billing:usage") + (f"?{query}" if query else ""))
    reads = billing_usage.usage_reads(caller=request.caller, date_from=chosen.date_from, date_to=chosen.date_to)
    report = reads.build(concurrency.gather(**reads.calls))  # a download: no layout, so no banner
    body = csv_text(billing_usage.USAGE_CSV_HEADER, billing_usage.usage_csv_rows(report))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="usage-{chosen.date_from}-{chosen.date_to}.csv"'
    return response
