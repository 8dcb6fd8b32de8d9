"""How the account pages report a write's failure or success, with or without htmx (the words of a
failure, and a 422 under the fields, come from ``dashboard.feedback``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dashboard import htmx
from dashboard.feedback import add_field_errors, upstream_message
from dashboard.upstream import errors


def failure_status(request: HttpRequest, exc: errors.UpstreamError | None = None) -> int:
    """htmx requests get 200 so the re-rendered form swaps in; plain requests get a truthful status."""
    if htmx.wants_fragment(request):
        return 200
    if exc is None or isinstance(exc, errors.ValidationFailed | errors.BadRequest | errors.RequestRefused):
        return 400
    if isinstance(exc, errors.NotFound | errors.Conflict | errors.RateLimited):
        return exc.status or 400
    if isinstance(exc, errors.PaymentRequired | errors.Forbidden):
        return 403
    return 503


T = TypeVar("T")


def current_password_wrong() -> str:
    return _("The current password is not right.")


def form_write(
    form: forms.Form,
    write: Callable[[], T],
    *,
    mapping: dict[str, str] | None = None,
    credential: str | None = None,
) -> tuple[T | None, errors.UpstreamError | None]:
    """Send a valid form's write upstream: ``(result, None)``, or ``(None, failure)`` with a 422's
    messages under the fields they name and any other failure above the form.

    ``credential`` names the form's current-password field: the platform refusing it (a 422 on it,
    or a 401 while the session is still good) is said there. A 401 that ends the session propagates.
    """
    try:
        return write(), None
    except errors.RequestRefused as exc:
        form.add_error(credential, current_password_wrong() if credential else upstream_message(exc))
        return None, exc
    except errors.ValidationFailed as exc:
        others = dict(exc.errors)
        if credential and others.pop(credential, None) is not None:
            form.add_error(credential, current_password_wrong())
        if others:
            add_field_errors(form, errors.ValidationFailed(others), fields=mapping)
        return None, exc
    except errors.UpstreamError as exc:
        form.add_error(None, upstream_message(exc))
        return None, exc


def success(request: HttpRequest, text: str) -> str | None:
    """A success message: in the session for the next full page, or returned for an htmx fragment."""
    if htmx.wants_fragment(request):
        return text
    messages.success(request, text)
    return None
