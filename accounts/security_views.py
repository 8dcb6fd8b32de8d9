"""Authentication: email, password, two-factor authentication and account deletion."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import segno
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import services
from accounts.feedback import failure_status, form_write, success
from accounts.forms import (
    AccountDeletionForm,
    DeletionConfirmForm,
    PasswordChangeForm,
    ProfileFieldForm,
    TfaCodeForm,
    keep_typed_passwords,
)
from accounts.http import AuthenticatedRequest, signin_required
from accounts.inline_fields import editing_form, inline_field
from activity import services as activity_services
from dashboard import htmx
from dashboard.concurrency import page_gather, value
from dashboard.feedback import upstream_message
from dashboard.upstream import errors
from dashboard.upstream.account import TfaStatus
from dashboard.upstream.types import User

PASSWORD_FIELDS = {"password": "new_password", "password_confirmation": "new_password_confirmation"}


@dataclass
class TfaSection:
    """What the 2FA card shows: its state, or the enrolment step, or the recovery codes once."""

    status: TfaStatus | None = None
    error: errors.UpstreamError | None = None
    uri: str | None = None
    form: TfaCodeForm | None = None
    recovery_codes: list[str] = field(default_factory=list)
    notice: str | None = None
    pending: bool = False

    @property
    def secret(self) -> str:
        values = parse_qs(urlsplit(self.uri or "").query).get("secret", [""])
        raw = values[0]
        return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))

    @property
    def qr_svg(self) -> str:
        if not self.uri:
            return ""
        svg = segno.make(self.uri, error="m").svg_inline(
            scale=5, border=4, dark="#000", light="#fff", title=_("QR code to scan with your authenticator app")
        )
        return mark_safe(svg)  # noqa: S308 - segno's own SVG markup; the title is ours, the URI is encoded

    @property
    def recovery_text(self) -> str:
        return "\n".join(self.recovery_codes) + "\n"


@dataclass
class DeletionSection:
    check: services.OwnedApps | None
    form: AccountDeletionForm
    error: str | None = None
    # Once the platform emailed its confirmation: the form that takes the token.
    confirm_form: DeletionConfirmForm | None = None
    # The platform's answer did not say which deletion request it made: only the email's link does.
    awaiting_link: bool = False


def _deletion_section(
    request: HttpRequest,
    user: User,
    check: services.OwnedApps | None,
    *,
    form: AccountDeletionForm | None = None,
    confirm_form: DeletionConfirmForm | None = None,
    error: str | None = None,
) -> DeletionSection:
    pending = services.account_deletion_pending(session=request.session)
    if confirm_form is None and pending is not None and pending.get("id"):
        confirm_form = DeletionConfirmForm(initial={"deletion": pending["id"]})
    unchecked = check.failed_regions if check is not None and check.confirmable else []
    return DeletionSection(
        check=check,
        form=form or AccountDeletionForm(username=user.username, unchecked_regions=unchecked),
        error=error,
        confirm_form=confirm_form,
        awaiting_link=confirm_form is None and pending is not None,
    )


def _tfa_form(*, allow_recovery: bool = False, data: object = None) -> TfaCodeForm:
    return TfaCodeForm(data, allow_recovery=allow_recovery, prefix="tfa")


def render_authentication(
    request: AuthenticatedRequest,
    *,
    user: User | None = None,
    field_form: ProfileFieldForm | None = None,
    password_form: PasswordChangeForm | None = None,
    password_notice: str | None = None,
    tfa: TfaSection | None = None,
    deletion_form: AccountDeletionForm | None = None,
    deletion_error: str | None = None,
    confirm_form: DeletionConfirmForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page's one gather: the user (unless the view has it), the owned-apps check, the latest
    security events and the 2FA state (unless the view has it), and the account banner's reads."""
    known = user
    check_reads = services.owned_apps_reads(caller=request.caller)
    reads: dict[str, Callable[[], object]] = {
        **check_reads.calls,
        "user": (lambda: known) if known is not None else (lambda: services.current_user(caller=request.caller)),
        "security": lambda: activity_services.security_recent(caller=request.caller),
    }
    if tfa is None:
        reads["tfa"] = lambda: services.tfa_status(caller=request.caller)
    results = page_gather(request, **reads)
    user = value(results["user"])
    if tfa is None:
        tfa = _tfa_section(request, results["tfa"])
    try:
        check = check_reads.build(results)
    except Exception as exc:
        check = services.OwnedApps(apps=[], regions=[], failed_regions=[], error=_as_upstream(exc))
    context = {
        "user": user,
        "email": inline_field(user, "email", "authentication", form=editing_form(request, user, "email", field_form)),
        "password_form": password_form or PasswordChangeForm(identity=(user.username, user.email)),
        "password_notice": password_notice,
        "tfa": tfa,
        "security_activity": activity_services.SecurityActivity.of(results["security"], user),
        "deletion": _deletion_section(
            request, user, check, form=deletion_form, confirm_form=confirm_form, error=deletion_error
        ),
    }
    return render(request, "accounts/authentication.html", context, status=status)


def _as_upstream(exc: Exception) -> errors.UpstreamError:
    return exc if isinstance(exc, errors.UpstreamError) else errors.Unavailable(str(exc))


def _tfa_section(request: AuthenticatedRequest, result: object) -> TfaSection:
    if isinstance(result, Exception):
        return TfaSection(error=_as_upstream(result))
    assert isinstance(result, TfaStatus)
    pending = not result.enabled and services.tfa_pending_uri(session=request.session) is not None
    return TfaSection(status=result, form=_tfa_form(allow_recovery=True) if result.enabled else None, pending=pending)


@require_GET
@signin_required
def authentication(request: AuthenticatedRequest) -> HttpResponse:
    return render_authentication(request)


@require_POST
@signin_required
def password_change(request: AuthenticatedRequest) -> HttpResponse:
    user = services.current_user(caller=request.caller)
    form = PasswordChangeForm(request.POST, identity=(user.username, user.email))
    failure: errors.UpstreamError | None = None
    if not user.has_password:
        form.is_valid()
        form.add_error(None, _("This account was created with GitHub and has no password to change here."))
    elif form.is_valid():
        _nothing, failure = form_write(
            form,
            lambda: services.password_change(
                caller=request.caller,
                current=form.cleaned_data["current_password"],
                new=form.cleaned_data["new_password"],
                confirmation=form.cleaned_data["new_password_confirmation"],
            ),
            mapping=PASSWORD_FIELDS,
            credential="current_password",
        )
        if failure is None:
            notice = success(request, _("Your password was changed. Use the new one next time you sign in."))
            if not htmx.wants_fragment(request):
                return HttpResponseRedirect(reverse("accounts:authentication") + "#password")
            fresh = PasswordChangeForm(identity=(user.username, user.email))
            context = {"user": user, "password_form": fresh, "password_notice": notice}
            return render(request, "accounts/authentication.html#password", context)
    keep_typed_passwords(form)
    status = failure_status(request, failure)
    if htmx.wants_fragment(request):
        context = {"user": user, "password_form": form}
        return render(request, "accounts/authentication.html#password", context, status=status)
    return render_authentication(request, user=user, password_form=form, status=status)


def _tfa_response(request: AuthenticatedRequest, tfa: TfaSection, status: int = 200) -> HttpResponse:
    if htmx.wants_fragment(request):
        return render(request, "accounts/authentication.html#tfa", {"tfa": tfa}, status=status)
    return render_authentication(request, tfa=tfa, status=status)


@never_cache
@require_POST
@signin_required
def tfa_enable(request: AuthenticatedRequest) -> HttpResponse:
    """Start enrolment: the QR code and the secret appear in this response, and nowhere else."""
    try:
        uri = services.tfa_start(caller=request.caller, session=request.session)
    except errors.UpstreamError as exc:
        status = _status_or_none(request)
        message = _("2FA is already on for this account.") if _already_on(exc) else upstream_message(exc)
        return _tfa_response(request, TfaSection(status=status, notice=message), failure_status(request, exc))
    tfa = TfaSection(status=TfaStatus(enabled=False, provider="totp"), uri=uri, form=_tfa_form())
    return _tfa_response(request, tfa)


def _status_or_none(request: AuthenticatedRequest) -> TfaStatus | None:
    try:
        return services.tfa_status(caller=request.caller)
    except errors.UpstreamError:
        return None


def _already_on(exc: errors.UpstreamError) -> bool:
    return isinstance(exc, errors.ValidationFailed) and "tfa" in exc.errors


@never_cache
@require_POST
@signin_required
def tfa_confirm(request: AuthenticatedRequest) -> HttpResponse:
    """Confirm with a code; the recovery codes are in this response, once."""
    uri = services.tfa_pending_uri(session=request.session)
    if uri is None:
        notice = _("The set-up expired or was finished elsewhere. Start again.")
        status = 200 if htmx.wants_fragment(request) else 409
        return _tfa_response(request, TfaSection(status=_status_or_none(request), notice=notice), status)
    form = _tfa_form(data=request.POST)
    failure: errors.UpstreamError | None = None
    if form.is_valid():
        try:
            activation = services.tfa_confirm(
                caller=request.caller, session=request.session, code=form.cleaned_data["code"]
            )
        except errors.RequestRefused as exc:
            failure = exc
            form.add_error("code", _("This code is not valid. Check your phone's clock, then type the current code."))
        except errors.ValidationFailed as exc:
            failure = exc
            if "attempt" in exc.errors:
                form.add_error(
                    "code", _("This code is not valid. Check your phone's clock, then type the current code.")
                )
            else:
                form.add_error(None, upstream_message(exc))
        except errors.UpstreamError as exc:
            failure = exc
            form.add_error(None, upstream_message(exc))
        else:
            tfa = TfaSection(
                status=TfaStatus(enabled=True, provider="totp"),
                recovery_codes=activation.recovery_codes,
                form=_tfa_form(allow_recovery=True),
                notice=success(request, _("Two-factor authentication is on.")),
            )
            return _tfa_response(request, tfa)
    tfa = TfaSection(status=TfaStatus(enabled=False, provider="totp"), uri=uri, form=form)
    return _tfa_response(request, tfa, failure_status(request, failure))


@require_POST
@signin_required
def tfa_cancel(request: AuthenticatedRequest) -> HttpResponse:
    services.tfa_cancel(session=request.session)
    if htmx.wants_fragment(request):
        return _tfa_response(request, TfaSection(status=_status_or_none(request)))
    return HttpResponseRedirect(reverse("accounts:authentication") + "#tfa")


@require_POST
@signin_required
def tfa_disable(request: AuthenticatedRequest) -> HttpResponse:
    form = _tfa_form(allow_recovery=True, data=request.POST)
    failure: errors.UpstreamError | None = None
    if form.is_valid():
        try:
            services.tfa_turn_off(caller=request.caller, session=request.session, code=form.cleaned_data["code"])
        except errors.RequestRefused as exc:
            failure = exc
            form.add_error("code", _("This code is not valid. Type the current code, or an unused recovery code."))
        except errors.ValidationFailed as exc:
            failure = exc
            if "attempt" in exc.errors:
                form.add_error("code", _("This code is not valid. Type the current code, or an unused recovery code."))
            elif "tfa" in exc.errors:
                form.add_error(None, _("2FA is already off for this account."))
            else:
                form.add_error(None, upstream_message(exc))
        except errors.UpstreamError as exc:
            failure = exc
            form.add_error(None, upstream_message(exc))
        else:
            notice = success(request, _("Two-factor authentication is off. Sign-in now asks only for your password."))
            if not htmx.wants_fragment(request):
                return HttpResponseRedirect(reverse("accounts:authentication") + "#tfa")
            return _tfa_response(request, TfaSection(status=TfaStatus(enabled=False, provider=None), notice=notice))
    tfa = TfaSection(status=TfaStatus(enabled=True, provider="totp"), form=form)
    return _tfa_response(request, tfa, failure_status(request, failure))


@require_POST
@signin_required
def account_delete(request: AuthenticatedRequest) -> HttpResponse:
    """Checks owned apps again on the server (the page may be stale), then asks the platform to
    delete the account: it emails a confirmation token (or, without that flow, deletes at once)."""
    check_reads = services.owned_apps_reads(caller=request.caller, fresh=True)
    results = page_gather(
        request, **{**check_reads.calls, "user": lambda: services.current_user(caller=request.caller)}
    )
    user: User = value(results["user"])
    check = check_reads.build(results)
    unchecked = check.failed_regions if check.confirmable else []
    form = AccountDeletionForm(request.POST, username=user.username, unchecked_regions=unchecked)
    error: str | None = None
    status = 200
    if not form.is_valid():
        status = 400
    elif check.error is not None:
        error = _("Deletion is not possible right now: the list of regions could not be read. Check again.")
        status = 503
    elif check.apps:
        error = _("Your account still owns apps. Delete them or transfer them first.")
        status = 409
    else:
        try:
            emailed = services.account_deletion_start(caller=request.caller, session=request.session, check=check)
        except services.DeletionNeedsEveryRegion:
            error = _(
                "The platform can only delete the account at once, together with any app it owns, so every "
                "region must be checked first. Check again when %(regions)s answers."
            ) % {"regions": ", ".join(check.failed_regions)}
            status = 503
        except errors.UpstreamError as exc:
            error = upstream_message(exc)
            status = failure_status(request, exc)
        else:
            if not emailed:
                return _goodbye(request)
            url = reverse("accounts:authentication") + "#deletion"
            if not htmx.wants_fragment(request):
                return HttpResponseRedirect(url)
            form = AccountDeletionForm(username=user.username, unchecked_regions=unchecked)
    return _deletion_response(request, user, check, form=form, error=error, status=status)


@require_http_methods(["GET", "POST"])
@signin_required
def account_deletion_confirm(request: AuthenticatedRequest) -> HttpResponse:
    """The token from the platform's email: pasted into the form, or brought by the email's link
    (``?deletion=<id>&token=<token>``, which only fills the form: a GET never deletes)."""
    if request.method == "GET":
        form = DeletionConfirmForm(
            initial={"deletion": request.GET.get("deletion", ""), "token": request.GET.get("token", "")}
        )
        return render_authentication(request, confirm_form=form)
    user: User = services.current_user(caller=request.caller)
    form = DeletionConfirmForm(request.POST)
    error: str | None = None
    status = 400
    if form.is_valid():
        try:
            services.account_deletion_confirm(
                caller=request.caller,
                session=request.session,
                deletion_id=form.cleaned_data["deletion"],
                token=form.cleaned_data["token"],
            )
        except errors.ValidationFailed:
            form.add_error("token", _("This token is not the one in the email. Copy it again from the latest email."))
        except errors.NotFound:
            error = _("The platform no longer knows this deletion request. Start again to get a new email.")
            services.account_deletion_cancel(session=request.session)
            status = 404
        except errors.UpstreamError as exc:
            error = upstream_message(exc)
            status = failure_status(request, exc)
        else:
            return _goodbye(request)
    check_reads = services.owned_apps_reads(caller=request.caller)
    check = check_reads.build(page_gather(request, **{**check_reads.calls, "user": lambda: user}))
    return _deletion_response(request, user, check, confirm_form=form, error=error, status=status)


@require_POST
@signin_required
def account_deletion_cancel(request: AuthenticatedRequest) -> HttpResponse:
    services.account_deletion_cancel(session=request.session)
    url = reverse("accounts:authentication") + "#deletion"
    return htmx.redirect(request, url)


def _goodbye(request: HttpRequest) -> HttpResponse:
    return htmx.redirect(request, reverse("accounts:goodbye"))


def _deletion_response(
    request: AuthenticatedRequest,
    user: User,
    check: services.OwnedApps,
    *,
    form: AccountDeletionForm | None = None,
    confirm_form: DeletionConfirmForm | None = None,
    error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    if htmx.wants_fragment(request):
        deletion = _deletion_section(request, user, check, form=form, confirm_form=confirm_form, error=error)
        return render(request, "accounts/authentication.html#deletion", {"user": user, "deletion": deletion})
    return render_authentication(
        request, user=user, deletion_form=form, confirm_form=confirm_form, deletion_error=error, status=status
    )


@require_GET
def goodbye(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/goodbye.html")
