"""The one switch between a whole page and the fragment an htmx request swaps.

One page, one template: a fragment is a partial inside it (``page.html#fragment``). An htmx request
gets the fragment, except when htmx restores history (it replaces the whole body, so it needs the
page); a plain request gets the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render as render_template
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails


def is_htmx(request: HttpRequest) -> bool:
    """Sent by htmx (the page is already shown: answer with a fragment, a notice or an HX-* header)."""
    return bool(getattr(request, "htmx", False))


def wants_fragment(request: HttpRequest) -> bool:
    """htmx swaps a fragment of the page in; a plain request or a history restore gets the page."""
    htmx = getattr(request, "htmx", None)
    return isinstance(htmx, HtmxDetails) and bool(htmx) and not htmx.history_restore_request


def template(request: HttpRequest, page: str, fragment: str | None) -> str:
    """``page#fragment`` when the request wants a fragment (and there is one), else ``page``."""
    return f"{page}#{fragment}" if fragment and wants_fragment(request) else page


def render(
    request: HttpRequest,
    page: str,
    context: Mapping[str, Any] | None = None,
    *,
    fragment: str | None,
    status: int = 200,
) -> HttpResponse:
    """Render the page, or only its ``fragment`` partial for an htmx request."""
    return render_template(request, template(request, page, fragment), context, status=status)


def redirect(request: HttpRequest, url: str) -> HttpResponse:
    """Go to ``url``: with ``HX-Redirect`` for htmx (a whole page, not a swap), else a 302."""
    return HttpResponseClientRedirect(url) if is_htmx(request) else HttpResponseRedirect(url)
