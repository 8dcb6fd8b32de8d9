"""API tokens: list (marking this session's own), create, renew and delete. A secret appears only
in the response to the request that produced it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import services
from accounts.feedback import failure_status, form_write, success
from accounts.forms import ApiTokenForm
from accounts.http import AuthenticatedRequest, signin_required
from accounts.middleware import signin_redirect
from dashboard import htmx
from dashboard.concurrency import page_gather, value
from dashboard.feedback import upstream_message
from dashboard.upstream import errors
from dashboard.upstream.types import CreatedToken, Token

T = TypeVar("T")


@dataclass(frozen=True)
class TokenRow:
    token: Token
    is_session: bool


@dataclass(frozen=True)
class Confirmation:
    action: str  # "renew" or "delete"
    row: TokenRow


@dataclass(frozen=True)
class ShownSecret:
    created: CreatedToken
    renewed: bool

    def __repr__(self) -> str:
        return f"ShownSecret(token={self.created.token.id}, renewed={self.renewed})"


def render_tokens(
    request: AuthenticatedRequest,
    *,
    form: ApiTokenForm | None = None,
    secret: ShownSecret | None = None,
    confirm: Confirmation | None = None,
    confirm_error: str | None = None,
    notice: str | None = None,
    status: int = 200,
) -> HttpResponse:
    loaded = page_gather(request, tokens=lambda: services.api_tokens(caller=request.caller))["tokens"]
    load_error = loaded if isinstance(loaded, errors.UpstreamError) else None
    tokens = [] if load_error is not None else value(loaded)
    own = services.session_token_id(session=request.session)
    context = {
        "rows": [TokenRow(token, token.id == own) for token in tokens],
        "session_token_known": own is not None,
        "load_error": load_error,
        "form": form or ApiTokenForm(),
        "secret": secret,
        "confirm": confirm,
        "confirm_error": confirm_error,
        "notice": notice,
    }
    return htmx.render(request, "accounts/api_tokens.html", context, fragment="tokens", status=status)


@require_GET
@signin_required
def api_tokens(request: AuthenticatedRequest) -> HttpResponse:
    return render_tokens(request)


@never_cache
@require_POST
@signin_required
def api_token_create(request: AuthenticatedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    failure: errors.UpstreamError | None = None
    if form.is_valid():
        created, failure = form_write(
            form, lambda: services.api_token_add(caller=request.caller, name=form.cleaned_data["name"])
        )
        if created is not None:
            # No redirect: the secret is shown in this response, once, and never stored here.
            return render_tokens(request, secret=ShownSecret(created, renewed=False))
    return render_tokens(request, form=form, status=failure_status(request, failure))


def _row(request: AuthenticatedRequest, token_id: str) -> TokenRow | None:
    own = services.session_token_id(session=request.session)
    for token in services.api_tokens(caller=request.caller):
        if token.id == token_id:
            return TokenRow(token, token.id == own)
    return None


def _gone(request: AuthenticatedRequest) -> HttpResponse:
    notice = success(request, _("This API token is already gone."))
    if not htmx.wants_fragment(request):
        return HttpResponseRedirect(reverse("accounts:api_tokens"))
    return render_tokens(request, notice=notice)


def _confirmation_row(request: AuthenticatedRequest, token_id: str) -> TokenRow | HttpResponse:
    try:
        row = _row(request, token_id)
    except errors.UpstreamError as exc:
        return render_tokens(request, status=failure_status(request, exc))
    return _gone(request) if row is None else row


def _confirmed(
    request: AuthenticatedRequest, token_id: str, action: str, write: Callable[[], T]
) -> tuple[TokenRow, T] | HttpResponse:
    """GET shows the confirmation naming the token; POST does ``write``. Returns the row and the
    write's result, or the response to send instead (the token is gone, or the write failed)."""
    row = _confirmation_row(request, token_id)
    if isinstance(row, HttpResponse):
        return row
    if request.method == "GET":
        return render_tokens(request, confirm=Confirmation(action, row))
    try:
        return row, write()
    except errors.NotFound:
        return _gone(request)
    except errors.UpstreamError as exc:
        return render_tokens(
            request,
            confirm=Confirmation(action, row),
            confirm_error=upstream_message(exc),
            status=failure_status(request, exc),
        )


@never_cache
@require_http_methods(["GET", "POST"])
@signin_required
def api_token_renew(request: AuthenticatedRequest, token_id: str) -> HttpResponse:
    """GET: the confirmation; POST: renew and show the new secret once."""
    outcome = _confirmed(
        request,
        token_id,
        "renew",
        lambda: services.api_token_renew(caller=request.caller, session=request.session, token_id=token_id),
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    _row, renewed = outcome
    return render_tokens(request, secret=ShownSecret(renewed, renewed=True))


@require_http_methods(["GET", "POST"])
@signin_required
def api_token_delete(request: AuthenticatedRequest, token_id: str) -> HttpResponse:
    """GET: the confirmation (warning when it is this session's token); POST: delete it."""
    outcome = _confirmed(
        request,
        token_id,
        "delete",
        lambda: services.api_token_remove(caller=request.caller, session=request.session, token_id=token_id),
    )
    if isinstance(outcome, HttpResponse):
        return outcome
    row, own = outcome
    if own:
        return signin_redirect(
            request, _("You deleted the API token this session used, so you are signed out. Sign in again.")
        )
    notice = success(request, _("API token “%(name)s” deleted. It no longer works.") % {"name": row.token.name})
    if not htmx.wants_fragment(request):
        return HttpResponseRedirect(reverse("accounts:api_tokens"))
    return render_tokens(request, notice=notice)
