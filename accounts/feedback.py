"""How the account pages report an upstream failure or a success, with or without htmx."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from dashboard.upstream import errors


def upstream_message(exc: errors.UpstreamError) -> str:
    """What a person reads when a write failed upstream; nothing here repeats a secret."""
    if isinstance(exc, errors.RateLimited):
        return _("The platform is receiving too many requests from this account. Wait a minute and try again.")
    if isinstance(exc, errors.NotFound):
        return _("The platform no longer knows this item: it may have been removed elsewhere. Reload the page.")
    if isinstance(exc, errors.Conflict):
        detail = f" ({exc.message})" if exc.message else ""
        return _("The platform refused this change because of the account's current state%(detail)s.") % {
            "detail": detail
        }
    if isinstance(exc, errors.PaymentRequired | errors.Forbidden):
        return _("The platform does not allow this change for this account.")
    if isinstance(exc, errors.BadRequest):
        return _("The platform could not read this request. Nothing was changed.")
    if isinstance(exc, errors.ValidationFailed):
        return _("The platform refused this change: %(reasons)s") % {"reasons": exc.message}
    if isinstance(exc, errors.MalformedResponse):
        return _("The platform sent an answer we could not read. Reload the page to see whether the change was made.")
    return _("The platform API cannot be reached right now. Nothing was changed; please try again in a moment.")


def failure_status(request: HttpRequest, exc: errors.UpstreamError | None = None) -> int:
    """htmx requests get 200 so the re-rendered form swaps in; plain requests get a truthful status."""
    if getattr(request, "htmx", False):
        return 200
    if exc is None or isinstance(exc, errors.ValidationFailed | errors.BadRequest):
        return 400
    if isinstance(exc, errors.NotFound | errors.Conflict | errors.RateLimited):
        return exc.status or 400
    if isinstance(exc, errors.PaymentRequired | errors.Forbidden):
        return 403
    return 503


def _sentence(message: str) -> str:
    text = message.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def add_upstream_errors(form: forms.Form, exc: errors.ValidationFailed, mapping: dict[str, str] | None = None) -> None:
    """Put each upstream 422 message under the field it names; others above the form."""
    mapping = mapping or {}
    for upstream_field, messages_ in exc.errors.items():
        field = mapping.get(upstream_field, upstream_field)
        for message in messages_:
            if field in form.fields:
                form.add_error(field, _sentence(message))
            else:
                form.add_error(None, _sentence(f"{upstream_field.replace('_', ' ')} {message}"))


T = TypeVar("T")


def form_write(
    form: forms.Form, write: Callable[[], T], *, mapping: dict[str, str] | None = None
) -> tuple[T | None, errors.UpstreamError | None]:
    """Send a valid form's write upstream: ``(result, None)``, or ``(None, failure)`` with a 422's
    messages under the fields they name and any other failure above the form. A 401 propagates:
    the session is over."""
    try:
        return write(), None
    except errors.Unauthorized:
        raise
    except errors.ValidationFailed as exc:
        add_upstream_errors(form, exc, mapping)
        return None, exc
    except errors.UpstreamError as exc:
        form.add_error(None, upstream_message(exc))
        return None, exc


def success(request: HttpRequest, text: str) -> str | None:
    """A success message: in the session for the next full page, or returned for an htmx fragment."""
    if getattr(request, "htmx", False):
        return text
    messages.success(request, text)
    return None
