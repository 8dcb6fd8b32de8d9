"""The invoices as files: a CSV of the list, and a ZIP of their PDFs streamed as it is made, with
its progress. Open to every signed-in account, like the reports (see ``billing.reports``)."""

from __future__ import annotations

import io
import logging
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache

from billing.invoices import invoice_filename
from dashboard import readcache
from dashboard.caller import Caller
from dashboard.money import plain_amount
from dashboard.upstream import billing as upstream
from dashboard.upstream import downloads, errors

logger = logging.getLogger("dashboard.billing")


# CSV -------------------------------------------------------------------------------------------


INVOICE_CSV_HEADER = [
    "invoice_number",
    "billing_month",
    "state",
    "total_excl_vat_eur",
    "vat_rate_percent",
    "vat_eur",
    "total_incl_vat_eur",
    "invoice_id",
]


def invoice_csv_rows(invoices: Iterable[upstream.Invoice]) -> Iterator[list[str]]:
    for invoice in invoices:
        yield [
            invoice.invoice_number,
            invoice.billing_month.strftime("%Y-%m") if invoice.billing_month else "",
            invoice.state,
            plain_amount(invoice.total_price),
            str(Decimal(invoice.vat_rate) / 10),
            plain_amount(invoice.vat),
            plain_amount(invoice.total_price_with_vat),
            invoice.id,
        ]


# ZIP of a year's PDFs --------------------------------------------------------------------------


class _Sink(io.RawIOBase):
    """Where zipfile writes: it only keeps what was written since the last ``take``."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._chunks.append(chunk)
        return len(chunk)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def progress_key(caller: Caller, job: str) -> str:
    return readcache.key(caller, f"archive:{job}")


def archive_progress(*, caller: Caller, job: str) -> dict[str, int] | None:
    progress: dict[str, int] | None = cache.get(progress_key(caller, job))
    return progress


ARCHIVE_DEADLINE_FACTOR = 4  # an archive may take as long as four single downloads


def invoice_archive(*, caller: Caller, invoices: list[upstream.Invoice], job: str | None = None) -> Iterator[bytes]:
    """A ZIP of the invoices' PDFs, produced as it goes: one PDF is held at a time (spooled to disk
    past 1 MiB), never the archive. A PDF that cannot be fetched is listed in ``MISSING.txt``
    inside the archive instead, since the response status is already sent by then."""
    auth = caller.auth
    key = progress_key(caller, job) if job else None
    total = len(invoices)
    missing: list[str] = []

    def report(done: int, finished: bool = False) -> None:
        if key:
            cache.set(key, {"done": done, "total": total, "failed": len(missing), "finished": int(finished)}, 600)

    sink = _Sink()
    report(0)
    # The whole archive has a deadline too, so a slow file host holds a download slot for a
    # bounded time: past it, the remaining PDFs are listed as missing without being asked for.
    until = time.monotonic() + settings.DOWNLOAD_DEADLINE_SECONDS * ARCHIVE_DEADLINE_FACTOR
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for done, invoice_row in enumerate(invoices, start=1):
            name = invoice_filename(invoice_row)
            if time.monotonic() >= until:
                missing.append(name)
                report(done)
                continue
            try:
                with tempfile.SpooledTemporaryFile(max_size=1024 * 1024) as spool:
                    location = upstream.invoice_download_url(auth=auth, invoice_id=invoice_row.id)
                    with downloads.file_open(url=location, until=until) as download:
                        for chunk in download:
                            spool.write(chunk)
                    spool.seek(0)
                    with archive.open(name, mode="w") as entry:
                        while block := spool.read(64 * 1024):
                            entry.write(block)
                            if data := sink.take():
                                yield data
            except (errors.UpstreamError, errors.Unauthorized, OSError) as exc:
                logger.warning("invoice PDF left out of the archive", extra={"error": type(exc).__name__})
                missing.append(name)
            report(done)
            if data := sink.take():
                yield data
        if missing:
            archive.writestr(
                "MISSING.txt",
                "These invoices could not be downloaded from the platform; download them one by one:\n"
                + "\n".join(missing)
                + "\n",
            )
    report(total, finished=True)
    yield sink.take()
