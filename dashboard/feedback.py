"""From an upstream failure to what a person reads, for every app: ``upstream_message`` says a failure
in the active language, and ``add_field_errors`` puts a 422's messages under a form's fields.

What an action says differs (a sign-in, a saved profile, a downloaded PDF): that is a ``Wording``,
data given to the one function, not another function. The platform's own messages are put in our
words by ``dashboard.platform_text``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, ngettext_lazy

from dashboard import platform_text
from dashboard.upstream import downloads, errors


@dataclass(frozen=True)
class Wording:
    """What one kind of action says for each way the platform can fail. A sentence left None is
    said as ``unreachable`` (except ``busy_wait``, said as ``busy``)."""

    # 5xx, timeout, no connection, and any failure below without a sentence of its own.
    unreachable: Promise
    # A 429; ``busy_wait`` when the platform gave its wait (a plural on ``%(seconds)d``).
    busy: Promise
    busy_wait: Promise | None = None
    unreadable: Promise | None = None  # the platform answered something we cannot read
    gone: Promise | None = None  # 404
    conflict: Promise | None = None  # 409
    payment_required: Promise | None = None  # 402
    forbidden: Promise | None = None  # 403
    bad_request: Promise | None = None  # 400
    credentials_refused: Promise | None = None  # a 401 on the request's own credentials
    # The platform's own words: its known sentence for a 409, 402 or 403 instead of ours, its
    # unknown words after our 409 sentence, and a 422's field messages together.
    platform_words: bool = False
    # Downloads: the file host sent too many redirects, is one we may not contact, or was too slow
    # (a plural on ``%(seconds)s``, the deadline given to ``upstream_message``).
    file_host_redirects: Promise | None = None
    file_host_refused: Promise | None = None
    file_host_slow: Promise | None = None


# A change made on the platform (the account pages' writes): the default.
CHANGE = Wording(
    unreachable=gettext_lazy(
        "The platform API cannot be reached right now. Nothing was changed; please try again in a moment."
    ),
    busy=gettext_lazy("The platform is receiving too many requests from this account. Wait a minute and try again."),
    busy_wait=ngettext_lazy(
        "The platform is receiving too many requests from this account. It asked to wait %(seconds)d "
        "second: try again then.",
        "The platform is receiving too many requests from this account. It asked to wait %(seconds)d "
        "seconds: try again then.",
        "seconds",
    ),
    unreadable=gettext_lazy(
        "The platform sent an answer we could not read. Reload the page to see whether the change was made."
    ),
    gone=gettext_lazy("The platform no longer knows this item: it may have been removed elsewhere. Reload the page."),
    conflict=gettext_lazy("The platform refused this change because of the account's current state%(detail)s."),
    payment_required=gettext_lazy("The platform does not allow this change for this account."),
    forbidden=gettext_lazy("The platform does not allow this change for this account."),
    bad_request=gettext_lazy("The platform could not read this request. Nothing was changed."),
    credentials_refused=gettext_lazy(
        "The platform refused the credentials given with this change. Nothing was changed."
    ),
    platform_words=True,
)


def upstream_message(
    failure: errors.UpstreamError, *, wording: Wording = CHANGE, deadline_seconds: int | None = None
) -> str:
    """What a person reads about ``failure``, in the active language; nothing here repeats a secret.
    ``deadline_seconds``: the download deadline a too slow file host ran into."""
    if isinstance(failure, errors.RateLimited) and failure.retry_after_seconds and wording.busy_wait is not None:
        return str(wording.busy_wait % {"seconds": failure.retry_after_seconds})
    slow = wording.file_host_slow
    if isinstance(failure, downloads.DownloadTooSlow) and slow is not None and deadline_seconds is not None:
        return str(slow % {"seconds": deadline_seconds})
    if wording.platform_words:
        known = platform_text.known_error(failure.message) if failure.message else None
        if known and isinstance(failure, errors.Conflict | errors.PaymentRequired | errors.Forbidden):
            return known
        if isinstance(failure, errors.ValidationFailed):
            return platform_text.field_errors(failure.errors)
    sentence = _sentence(failure, wording)
    if sentence is None:
        return str(wording.unreachable)
    if isinstance(failure, errors.Conflict):
        text = str(sentence) % {"detail": ""}
        if wording.platform_words and failure.message:
            return f"{text} {platform_text.unknown(failure.message)}"
        return text
    return str(sentence)


def _sentence(failure: errors.UpstreamError, wording: Wording) -> Promise | None:
    """The wording's sentence for this kind of failure (the kinds do not overlap), or None."""
    if isinstance(failure, downloads.DownloadRefused):
        return (wording.file_host_redirects if failure.reason == "redirects" else None) or wording.file_host_refused
    kinds: tuple[tuple[type[errors.UpstreamError], Promise | None], ...] = (
        (errors.RateLimited, wording.busy),
        (errors.NotFound, wording.gone),
        (errors.Conflict, wording.conflict),
        (errors.PaymentRequired, wording.payment_required),
        (errors.Forbidden, wording.forbidden),
        (errors.BadRequest, wording.bad_request),
        (errors.RequestRefused, wording.credentials_refused),
        (errors.MalformedResponse, wording.unreadable),
    )
    return next((sentence for kind, sentence in kinds if isinstance(failure, kind)), None)


def add_field_errors(
    form: forms.Form, failure: errors.ValidationFailed, *, fields: Mapping[str, str] | None = None
) -> None:
    """Put each message of a 422, in our words, under the form field it names (``fields`` maps the
    platform's field name to the form's where they differ); the others above the form."""
    for upstream_field, messages in failure.errors.items():
        field = (fields or {}).get(upstream_field, upstream_field)
        for message in messages:
            if field in form.fields:
                form.add_error(field, platform_text.field_error(upstream_field, message))
            else:
                form.add_error(None, platform_text.field_error(upstream_field, message, apart=True))
