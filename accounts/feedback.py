"""How the account pages report an upstream failure or a success, with or without htmx."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dashboard import platform_text
from dashboard.upstream import errors


def upstream_message(exc: errors.UpstreamError) -> str:
    """What a person reads when a write failed upstream; nothing here repeats a secret."""
    if isinstance(exc, errors.RateLimited):
        if exc.retry_after_seconds:
            return ngettext(
                "The platform is receiving too many requests from this account. It asked to wait %(seconds)d "
                "second: try again then.",
                "The platform is receiving too many requests from this account. It asked to wait %(seconds)d "
                "seconds: try again then.",
                exc.retry_after_seconds,
            ) % {"seconds": exc.retry_after_seconds}
        return _("The platform is receiving too many requests from this account. Wait a minute and try again.")
    if isinstance(exc, errors.NotFound):
        return _("The platform no longer knows this item: it may have been removed elsewhere. Reload the page.")
    known = platform_text.known_error(exc.message) if exc.message else None
    if isinstance(exc, errors.Conflict | errors.PaymentRequired | errors.Forbidden) and known:
        return known
    if isinstance(exc, errors.Conflict):
        text = _("The platform refused this change because of the account's current state%(detail)s.") % {"detail": ""}
        return f"{text} {platform_text.unknown(exc.message)}" if exc.message else text
    if isinstance(exc, errors.PaymentRequired | errors.Forbidden):
        return _("The platform does not allow this change for this account.")
    if isinstance(exc, errors.BadRequest):
        return _("The platform could not read this request. Nothing was changed.")
    if isinstance(exc, errors.ValidationFailed):
        return platform_text.field_errors(exc.errors)
    if isinstance(exc, errors.RequestRefused):
        return _("The platform refused the credentials given with this change. Nothing was changed.")
    if isinstance(exc, errors.MalformedResponse):
        return _("The platform sent an answer we could not read. Reload the page to see whether the change was made.")
    return _("The platform API cannot be reached right now. Nothing was changed; please try again in a moment.")


def failure_status(request: HttpRequest, exc: errors.UpstreamError | None = None) -> int:
    """htmx requests get 200 so the re-rendered form swaps in; plain requests get a truthful status."""
    if getattr(request, "htmx", False):
        return 200
    if exc is None or isinstance(exc, errors.ValidationFailed | errors.BadRequest | errors.RequestRefused):
        return 400
    if isinstance(exc, errors.NotFound | errors.Conflict | errors.RateLimited):
        return exc.status or 400
    if isinstance(exc, errors.PaymentRequired | errors.Forbidden):
        return 403
    return 503


def add_upstream_errors(form: forms.Form, exc: errors.ValidationFailed, mapping: dict[str, str] | None = None) -> None:
    """Put each upstream 422 message, in our words, under the field it names; others above the form."""
    mapping = mapping or {}
    for upstream_field, messages_ in exc.errors.items():
        field = mapping.get(upstream_field, upstream_field)
        for message in messages_:
            if field in form.fields:
                form.add_error(field, platform_text.field_error(upstream_field, message))
            else:
                form.add_error(None, platform_text.field_error(upstream_field, message, apart=True))


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
            add_upstream_errors(form, errors.ValidationFailed(others), mapping)
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
