"""The file host: where ``GET /account/invoices/:id/download`` sends the browser (``pdf_url``).

The platform serves invoice PDFs from another host (``download.scalingo.com``), public by their
unguessable URL, which may redirect again to a signed storage URL. ``SANDBOX_FILES_URL`` puts this
host on another origin than the API (``make demo`` and the tests do); unset, it is the API's own.
The signed URL refuses a request that carries an ``Authorization`` header, as signed storage URLs
do (only one way to authenticate), so a bearer leaked to the file host shows.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse

from sandbox import behaviours, conf, requestlog
from sandbox.http import json_response
from sandbox.models import Invoice
from sandbox.pdf import invoice_pdf

SIGNED = behaviours.register(
    "download-signed-url", "the file host redirects once more, to a signed storage URL (like S3's), before the PDF"
)
FORBIDDEN = behaviours.register(
    "download-redirect-forbidden",
    "the file host redirects to the cloud metadata address http://169.254.169.254/ (an SSRF target)",
)
LOOP = behaviours.register("download-redirect-loop", "the file host redirects to itself, again and again")
TRICKLE = behaviours.register(
    "download-trickle",
    "the file host sends the PDF 16 bytes at a time, each after SANDBOX_TRICKLE_SECONDS (default 2)",
)

METADATA_URL = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"


def files_url(request: HttpRequest, path: str) -> str:
    """An absolute URL on the file host for ``path`` (a reversed sandbox path)."""
    base = conf._raw("SANDBOX_FILES_URL")
    if not base:
        return request.build_absolute_uri(path)
    prefix = reverse("sandbox-files-root")
    return str(base).rstrip("/") + "/" + path.removeprefix(prefix)


def _signature(invoice_id: str, expires: int) -> str:
    key = f"sandbox-files:{settings.SECRET_KEY}".encode()
    return hmac.new(key, f"{invoice_id}:{expires}".encode(), hashlib.sha256).hexdigest()


def _log(request: HttpRequest, route: str, status: int) -> None:
    requestlog.record(
        method=request.method,
        host="files",
        path=request.path,
        route=route,
        status=status,
        authorization="Authorization" in request.headers,
    )


def _invoice(id: str) -> Invoice | None:
    return Invoice.objects.select_related("user").filter(id=id).first()


def invoice_pdf_file(request: HttpRequest, id: str) -> HttpResponseBase:
    """The 302 target of the download endpoint: public by its unguessable URL."""
    route = "/files/invoices/:id.pdf"
    invoice = _invoice(id)
    if invoice is None:
        _log(request, route, 404)
        return json_response({"resource": "invoice", "error": "not found"}, status=404)
    response: HttpResponseBase
    if behaviours.active(FORBIDDEN):
        response = HttpResponseRedirect(METADATA_URL)
    elif behaviours.active(LOOP):
        hop = int(request.GET.get("hop", "0") or 0) + 1
        response = HttpResponseRedirect(files_url(request, reverse("sandbox-invoice-pdf", args=[id])) + f"?hop={hop}")
    elif behaviours.active(SIGNED):
        expires = int(time.time()) + 300
        path = reverse("sandbox-invoice-pdf-signed", args=[id])
        response = HttpResponseRedirect(
            files_url(request, path) + f"?Expires={expires}&Signature={_signature(id, expires)}"
        )
    else:
        response = _pdf(invoice)
    _log(request, route, response.status_code)
    return response


def invoice_pdf_signed(request: HttpRequest, id: str) -> HttpResponseBase:
    """The signed storage URL: valid until ``Expires``, and only without another credential."""
    route = "/files/signed/invoices/:id.pdf"
    invoice = _invoice(id)
    try:
        expires = int(request.GET.get("Expires", ""))
    except ValueError:
        expires = 0
    signature = request.GET.get("Signature", "")
    response: HttpResponseBase
    if "Authorization" in request.headers:
        response = json_response({"error": "Only one auth mechanism allowed"}, status=400)
    elif invoice is None or expires < time.time() or not hmac.compare_digest(signature, _signature(id, expires)):
        response = json_response({"error": "Access denied"}, status=403)
    else:
        response = _pdf(invoice)
    _log(request, route, response.status_code)
    return response


def _pdf(invoice: Invoice) -> HttpResponseBase:
    content = invoice_pdf(invoice)
    response: HttpResponseBase
    if behaviours.active(TRICKLE):
        response = StreamingHttpResponse(_trickle(content), content_type="application/pdf")
        response["Content-Length"] = str(len(content))
    else:
        response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="invoice-{invoice.invoice_number}.pdf"'
    return response


def _trickle(content: bytes) -> Iterator[bytes]:
    pause = conf._float("SANDBOX_TRICKLE_SECONDS", 2.0)
    for start in range(0, len(content), 16):
        time.sleep(pause)  # before the first piece too: the headers wait as well
        yield content[start : start + 16]
