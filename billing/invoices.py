"""The invoices: every one of them read once per user and reused, filtered, checked against
their lines, and each one's PDF located and opened for download."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache

from dashboard import billing_calendar, readcache
from dashboard.caller import Caller
from dashboard.money import Money, vat_on
from dashboard.upstream import billing as upstream
from dashboard.upstream import downloads
from dashboard.upstream.http import Auth

# The upstream answers at most this many invoices per page (sandbox: 100; the real maximum is
# undocumented, so stay at a value every paginated Scalingo endpoint accepts).
INVOICES_PER_UPSTREAM_PAGE = 100
PER_PAGE_CHOICES = (10, 20, 50)
DEFAULT_PER_PAGE = 20


def _fetch_all_invoices(auth: Auth) -> list[upstream.Invoice]:
    first = upstream.invoice_list(auth=auth, page=1, per_page=INVOICES_PER_UPSTREAM_PAGE)
    invoices = list(first.items)
    # Only page 1 tells how many pages there are: the rest is a second round, made here, inside
    # this one read, one page after the other (no gather below the view). Rare: a monthly invoice
    # makes a few dozen rows even for old accounts.
    for n in range(2, first.pagination.total_pages + 1):
        invoices.extend(upstream.invoice_list(auth=auth, page=n, per_page=INVOICES_PER_UPSTREAM_PAGE).items)
    unique = OrderedDict((invoice.id, invoice) for invoice in invoices)
    return sorted(unique.values(), key=lambda i: (i.billing_month or date.min, i.invoice_number), reverse=True)


def all_invoices(*, caller: Caller) -> list[upstream.Invoice]:
    """Every invoice, newest month first. The upstream has no filters, so the dashboard filters;
    a monthly invoice makes this a few dozen rows even for old accounts. A page reads it as
    ``invoices`` in its one gather, the name the account banner gives it too (one read for both)."""
    return readcache.cached(caller, "invoices", lambda: _fetch_all_invoices(caller.auth))


def invoice(*, caller: Caller, invoice_id: str) -> upstream.Invoice:
    return readcache.cached(
        caller, f"invoice:{invoice_id}", lambda: upstream.invoice_get(auth=caller.auth, invoice_id=invoice_id)
    )


def invoices_needing_action(
    invoices: Iterable[upstream.Invoice], *, at: datetime | None = None
) -> tuple[list[upstream.Invoice], list[upstream.Invoice]]:
    """(failed, new): failed ones must be paid now; new ones of complete months will be charged
    automatically. The running month's invoice is new too, but in progress: it waits for nothing."""
    items = list(invoices)
    failed = [i for i in items if i.state == "failed"]
    return failed, [i for i in items if i.state == "new" and not billing_calendar.in_progress(i, at)]


def last_complete_invoice(
    invoices: Iterable[upstream.Invoice], *, at: datetime | None = None
) -> upstream.Invoice | None:
    """The newest invoice of a complete month (the list is newest first)."""
    return next((i for i in invoices if not billing_calendar.in_progress(i, at)), None)


@dataclass(frozen=True)
class InvoiceFilter:
    state: str = ""
    month_from: date | None = None
    month_to: date | None = None

    @property
    def active(self) -> bool:
        return bool(self.state or self.month_from or self.month_to)

    def matches(self, invoice: upstream.Invoice) -> bool:
        if self.state and invoice.state != self.state:
            return False
        month = invoice.billing_month
        if self.month_from and (month is None or month < self.month_from):
            return False
        return not (self.month_to and (month is None or month > self.month_to))


def filter_invoices(invoices: Iterable[upstream.Invoice], criteria: InvoiceFilter) -> list[upstream.Invoice]:
    return [invoice for invoice in invoices if criteria.matches(invoice)]


@dataclass(frozen=True)
class AppGroup:
    app: str
    items: tuple[upstream.DetailedItem, ...]
    subtotal: Money


@dataclass(frozen=True)
class InvoiceCheck:
    """What the invoice says against what its lines add up to."""

    items_total: Money
    expected_vat: Money
    groups: tuple[AppGroup, ...]
    detailed_total: Money

    items_match: bool
    vat_match: bool

    @property
    def consistent(self) -> bool:
        return self.items_match and self.vat_match


def invoice_check(invoice: upstream.Invoice) -> InvoiceCheck:
    items_total = sum((item.price for item in invoice.items), Money.zero())
    expected_vat = vat_on(invoice.total_price, invoice.vat_rate)
    grouped: dict[str, list[upstream.DetailedItem]] = OrderedDict()
    for item in invoice.detailed_items:
        grouped.setdefault(item.app, []).append(item)
    groups = tuple(
        AppGroup(app=app, items=tuple(rows), subtotal=sum((r.price for r in rows), Money.zero()))
        for app, rows in sorted(grouped.items())
    )
    # A one-cent tolerance on VAT: the upstream rounds it once, on the total.
    vat_gap = abs((invoice.total_price + expected_vat - invoice.total_price_with_vat).amount)
    return InvoiceCheck(
        items_total=items_total,
        expected_vat=expected_vat,
        groups=groups,
        detailed_total=sum((g.subtotal for g in groups), Money.zero()),
        items_match=items_total.rounded() == invoice.total_price.rounded(),
        vat_match=vat_gap <= Decimal("0.01"),
    )


def invoice_filename(invoice: upstream.Invoice) -> str:
    safe = "".join(c for c in invoice.invoice_number if c.isalnum() or c in "-_.") or invoice.id
    return f"invoice-{safe}.pdf"


def _download_key(caller: Caller, invoice_id: str) -> str:
    return readcache.key(caller, f"download:{invoice_id}")


def invoice_pdf_location(*, caller: Caller, invoice_id: str) -> str:
    """Resolve the download endpoint's 302; kept a minute so the browser's follow-up GET (after an
    htmx click) streams without asking again."""
    key = _download_key(caller, invoice_id)
    location: str | None = cache.get(key)
    if location is None:
        location = upstream.invoice_download_url(auth=caller.auth, invoice_id=invoice_id)
        cache.set(key, location, 60)
    return location


def forget_pdf_location(*, caller: Caller, invoice_id: str) -> None:
    cache.delete(_download_key(caller, invoice_id))


def invoice_pdf_target(*, caller: Caller, invoice_id: str) -> str:
    """The PDF's location, refused (``downloads.DownloadRefused``) before anything is fetched from
    it when it points at a host the dashboard may not contact."""
    location = invoice_pdf_location(caller=caller, invoice_id=invoice_id)
    downloads.download_target(location)
    return location


def downloads_busy() -> bool:
    """Every download slot is taken: a new download would have to wait."""
    return downloads.downloads_running() >= settings.DOWNLOAD_CONCURRENCY


def download_slot() -> downloads.DownloadSlot | None:
    """A slot for one download (or one archive), or None when all are taken."""
    return downloads.download_slot()


def invoice_pdf_open(*, caller: Caller, invoice_id: str, location: str) -> downloads.FileDownload:
    """Start fetching the PDF from ``location``; the cached location is used up either way."""
    forget_pdf_location(caller=caller, invoice_id=invoice_id)
    return downloads.file_open(url=location)
