from __future__ import annotations

import logging
import time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services, throttle
from accounts import session as account_session
from accounts.forms import OtpForm, PasswordSigninForm, TokenSigninForm
from dashboard import preferences
from dashboard.feedback import Wording, upstream_message
from dashboard.upstream import errors
from dashboard.upstream.types import User

logger = logging.getLogger("dashboard.accounts")

PENDING_OTP = "signin_pending_otp"
PENDING_OTP_SECONDS = 300


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    """Only a path on this site; anything else goes to the Overview."""
    if (
        candidate
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and candidate.startswith("/")
        and not candidate.startswith("//")
    ):
        return candidate
    return reverse("overview")


def _signed_in(request: HttpRequest, user: User, target: str) -> HttpResponse:
    """Go on, in the language and theme the account keeps upstream, except where this browser
    already has a choice of its own: the platform answers its defaults for an account that never
    chose (indistinguishable from a choice), and a choice made before sign-in must survive it."""
    response = HttpResponseRedirect(target)
    language, theme = preferences.from_user_preferences(user.preferences)
    chosen_language, chosen_theme = preferences.browser_has_chosen(request)
    preferences.remember(
        request, response, language=None if chosen_language else language, theme=None if chosen_theme else theme
    )
    # Said on the next page, so in its language: the account's own, unless this browser chose.
    known = dict(settings.LANGUAGES)
    shown = language if language in known and not chosen_language else translation.get_language()
    with translation.override(shown):
        messages.success(request, _("You are signed in."))
    return response


def _refused_by_throttle(request: HttpRequest, identity: str, form: forms.Form) -> bool:
    """Too many failures from this IP or for this identity: say so on the form, send nothing upstream."""
    if not throttle.is_blocked(request, identity):
        return False
    form.is_valid()  # keeps what was typed, bound and shown
    form.add_error(
        None,
        _("Too many sign-in attempts. Please wait %(minutes)d minutes and try again.")
        % {"minutes": throttle.retry_minutes()},
    )
    return True


def _identity(request: HttpRequest, method: str) -> str:
    """What the throttle counts failures against besides the client address: the login, or the
    pasted token's fingerprint (never one key shared by every token sign-in)."""
    if method == "password":
        return request.POST.get("login", "")
    return throttle.token_fingerprint(request.POST.get("api_token", ""))


# A sign-in changes nothing upstream: only a busy platform and an unreadable answer are said apart.
SIGN_IN = Wording(
    unreachable=gettext_lazy(
        "The platform API cannot be reached right now. Nothing was changed; please try again in a moment."
    ),
    busy=gettext_lazy("The platform is receiving too many requests from this account. Wait a minute and try again."),
    # It did answer: "cannot be reached" would send the person to check their network.
    unreadable=gettext_lazy(
        "The platform sent an answer we could not read, so you are not signed in. Please try again later."
    ),
)


@never_cache
@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    if account_session.account(request.session) is not None:
        return redirect(safe_next(request, request.GET.get("next")))
    method = (
        request.POST.get("method", "password") if request.method == "POST" else request.GET.get("method", "password")
    )
    password_form = PasswordSigninForm(request.POST if method == "password" and request.method == "POST" else None)
    token_form = TokenSigninForm(request.POST if method == "token" and request.method == "POST" else None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    status = 200
    if request.method == "POST":
        form = password_form if method == "password" else token_form
        identity = _identity(request, method)
        if _refused_by_throttle(request, identity, form):
            status = 429
        elif form.is_valid():
            response = _attempt_signin(request, method, form, next_url)
            if response is not None:
                return response
            status = 400
        else:
            status = 400
    return render(
        request,
        "accounts/signin.html",
        {
            "password_form": password_form,
            "token_form": token_form,
            "method": method,
            "next": next_url,
        },
        status=status,
    )


def _token_name(request: HttpRequest) -> str:
    return services.dashboard_token_name(host=request.get_host(), user_agent=request.headers.get("User-Agent", ""))


def _attempt_signin(request: HttpRequest, method: str, form: forms.Form, next_url: str) -> HttpResponse | None:
    try:
        if method == "token":
            user = services.signin_with_token(session=request.session, api_token=form.cleaned_data["api_token"])
        else:
            user = services.signin_with_password(
                session=request.session,
                login=form.cleaned_data["login"],
                password=form.cleaned_data["password"],
                otp=None,
                token_name=_token_name(request),
            )
    except errors.OTPRequired:
        request.session[PENDING_OTP] = {
            "login": form.cleaned_data["login"],
            "password": account_session.encrypt(form.cleaned_data["password"]),
            "next": next_url,
            "until": time.time() + PENDING_OTP_SECONDS,
        }
        return redirect("accounts:signin_otp")
    except errors.Unauthorized:
        throttle.record_failure(request, _identity(request, method))
        if method == "token":
            form.add_error(
                "api_token",
                _("This API token was not accepted. It may have been renewed or deleted."),
            )
        else:
            form.add_error("password", _("The email/username or the password is not right."))
        return None
    except errors.UpstreamError as exc:
        form.add_error(None, upstream_message(exc, wording=SIGN_IN))
        return None
    if method == "password":
        throttle.clear_identity(request, form.cleaned_data["login"])
    return _signed_in(request, user, safe_next(request, next_url))


@never_cache
@require_http_methods(["GET", "POST"])
def signin_otp(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_OTP)
    if not pending or float(pending.get("until", 0)) < time.time():
        request.session.pop(PENDING_OTP, None)
        messages.warning(request, _("Please enter your email and password again."))
        return redirect("accounts:signin")
    form = OtpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if _refused_by_throttle(request, pending["login"], form):
            status = 429
        elif form.is_valid():
            try:
                user = services.signin_with_password(
                    session=request.session,
                    login=pending["login"],
                    password=account_session.decrypt(pending["password"]),
                    otp=form.cleaned_data["otp"],
                    token_name=_token_name(request),
                )
            except errors.Unauthorized:
                throttle.record_failure(request, pending["login"])
                form.add_error("otp", _otp_refused(form.cleaned_data["otp"]))
            except errors.UpstreamError as exc:
                form.add_error(None, upstream_message(exc, wording=SIGN_IN))
            else:
                throttle.clear_identity(request, pending["login"])
                return _signed_in(request, user, safe_next(request, pending.get("next")))
    return render(
        request,
        "accounts/signin_otp.html",
        {"form": form, "login": pending["login"]},
        status=status,
    )


def _otp_refused(code: str) -> str:
    if code.isdigit() and len(code) == 6:
        return _("This code is not valid. Codes change every 30 seconds: try the current one.")
    return _(
        "This recovery code is not valid, or it was already used: each recovery code works once. "
        "Try another one, or the 6-digit code from your app."
    )


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    services.signout(session=request.session)
    messages.success(request, _("You are signed out."))
    return redirect("accounts:signin")
