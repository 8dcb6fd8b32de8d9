"""Profile: every user attribute in words, in-place edits, newsletter, language and theme."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts import services
from accounts.feedback import failure_status, form_write, success
from accounts.forms import (
    INLINE_FIELDS,
    NewsletterForm,
    PreferencesForm,
    ProfileFieldForm,
    keep_typed_passwords,
    profile_field,
)
from accounts.http import AuthenticatedRequest, signin_required
from accounts.inline_fields import PAGES, edit_form, editing_form, inline_field
from accounts.security_views import render_authentication
from dashboard import htmx, preferences
from dashboard.concurrency import page_gather, value
from dashboard.feedback import upstream_message
from dashboard.preferences import theme_of
from dashboard.upstream import errors
from dashboard.upstream.types import User

KNOWN_LIMITS = {"free_trial_apps": gettext_lazy("Apps you can create during the free trial")}


def _words(key: str) -> str:
    text = key.replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


def _limits(user: User) -> list[Fact]:
    return [Fact(str(KNOWN_LIMITS.get(key, _words(key))), value) for key, value in sorted(user.limits.items())]


def _flags(user: User) -> list[Fact]:
    return [Fact(_words(key), _("On") if on else _("Off")) for key, on in sorted(user.flags.items())]


def _trial_state(user: User, now: datetime) -> str:
    if user.free_trial_end_time is None:
        return "none"
    return "running" if user.free_trial_end_time > now else "ended"


def render_profile(
    request: AuthenticatedRequest,
    *,
    user: User | None = None,
    field_form: ProfileFieldForm | None = None,
    newsletter_form: NewsletterForm | None = None,
    preferences_form: PreferencesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    known = user  # the page's one gather: the user (unless the view has it) and the banner's reads
    results = page_gather(
        request, user=(lambda: known) if known is not None else (lambda: services.current_user(caller=request.caller))
    )
    user = value(results["user"])
    fields = [
        inline_field(user, name, "profile", form=editing_form(request, user, name, field_form))
        for name in INLINE_FIELDS
    ]
    context = {
        "user": user,
        "fields": fields,
        "limits": _limits(user),
        "flags": _flags(user),
        "trial": _trial_state(user, timezone.now()),
        "newsletter_form": newsletter_form or NewsletterForm(initial={"email_newsletter": user.email_newsletter}),
        "preferences_form": preferences_form
        or PreferencesForm(initial={"language": translation.get_language(), "theme": theme_of(request)}),
        "preferences_upstream": user.preferences is not None,
    }
    return render(request, "accounts/profile.html", context, status=status)


@require_GET
@signin_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    return render_profile(request)


def _page(request: AuthenticatedRequest) -> str:
    page = request.POST.get("page") if request.method == "POST" else request.GET.get("page")
    return page if page in PAGES else "profile"


@require_http_methods(["GET", "POST"])
@signin_required
def profile_field_edit(request: AuthenticatedRequest, name: str) -> HttpResponse:
    """GET: the attribute's read view or its form (htmx), POST: save it. Serves both pages."""
    if name not in INLINE_FIELDS:
        raise Http404
    page = _page(request)
    if request.method == "GET":
        editing = request.GET.get("edit") == "1"
        if not htmx.wants_fragment(request):
            return HttpResponseRedirect(reverse(PAGES[page]) + (f"?edit={name}" if editing else "") + f"#field-{name}")
        user = services.current_user(caller=request.caller)
        form = edit_form(user, name) if editing else None
        return render(request, "accounts/_inline_field.html", {"item": inline_field(user, name, page, form=form)})
    has_password = services.current_user(caller=request.caller).has_password if name == "email" else True
    form = ProfileFieldForm(name, request.POST, has_password=has_password)
    failure: errors.UpstreamError | None = None
    if form.is_valid():
        # Every field the form carries goes upstream: for an email, the current password with it.
        saved, failure = form_write(
            form,
            lambda: services.profile_update(
                caller=request.caller, session=request.session, fields=dict(form.cleaned_data), action=f"profile-{name}"
            ),
            credential="current_password" if "current_password" in form.fields else None,
        )
        if saved is not None:
            notice = success(request, _("%(field)s saved.") % {"field": profile_field(name).label})
            if not htmx.wants_fragment(request):
                return HttpResponseRedirect(reverse(PAGES[page]) + f"#field-{name}")
            item = inline_field(saved, name, page, notice=notice)
            return render(request, "accounts/_inline_field.html", {"item": item})
    keep_typed_passwords(form)
    status = failure_status(request, failure)
    if htmx.wants_fragment(request):
        user = services.current_user(caller=request.caller)
        item = inline_field(user, name, page, form=form)
        return render(request, "accounts/_inline_field.html", {"item": item}, status=status)
    if page == "authentication":
        return render_authentication(request, field_form=form, status=status)
    return render_profile(request, field_form=form, status=status)


@require_POST
@signin_required
def newsletter_set(request: AuthenticatedRequest) -> HttpResponse:
    form = NewsletterForm(request.POST)
    form.is_valid()  # a checkbox is always valid: absent means "no"
    subscribed = bool(form.cleaned_data.get("email_newsletter"))
    try:
        user = services.profile_update(
            caller=request.caller,
            session=request.session,
            fields={"email_newsletter": subscribed},
            action="newsletter-set",
        )
    except errors.UpstreamError as exc:
        form.add_error(None, upstream_message(exc))
        if htmx.wants_fragment(request):
            user = services.current_user(caller=request.caller)
            return render(
                request,
                "accounts/profile.html#newsletter",
                {"user": user, "newsletter_form": form},
                status=failure_status(request, exc),
            )
        return render_profile(request, newsletter_form=form, status=failure_status(request, exc))
    text = _("You are subscribed to the newsletter.") if subscribed else _("You are unsubscribed from the newsletter.")
    notice = success(request, text)
    if not htmx.wants_fragment(request):
        return HttpResponseRedirect(reverse("accounts:profile") + "#newsletter")
    form = NewsletterForm(initial={"email_newsletter": user.email_newsletter})
    context = {"user": user, "newsletter_form": form, "newsletter_notice": notice}
    return render(request, "accounts/profile.html#newsletter", context)


@require_POST
@signin_required
def preferences_set(request: AuthenticatedRequest) -> HttpResponse:
    """Language and theme: kept upstream when it accepts ``preferences``, always in this browser
    too (cookies), so they apply at once."""
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        if htmx.wants_fragment(request):
            return render(
                request,
                "accounts/profile.html#preferences",
                {"preferences_form": form, "preferences_upstream": True},
                status=failure_status(request),
            )
        return render_profile(request, preferences_form=form, status=failure_status(request))
    language, theme = form.cleaned_data["language"], form.cleaned_data["theme"]
    failure: errors.UpstreamError | None = None
    try:
        upstream = services.preferences_save(caller=request.caller, language=language, theme=theme)
    except errors.UpstreamError as exc:
        upstream, failure = False, exc
    with translation.override(language):  # the message speaks the newly chosen language
        if failure is not None:
            messages.warning(
                request,
                _("Saved in this browser only: the platform could not store them right now. %(reason)s")
                % {"reason": upstream_message(failure)},
            )
        elif upstream:
            messages.success(request, _("Language and theme saved in your account; they follow you to any browser."))
        else:
            messages.success(request, _("Language and theme saved in this browser (the platform does not keep them)."))
    response: HttpResponse = (
        HttpResponseClientRefresh() if htmx.is_htmx(request) else HttpResponseRedirect(reverse("accounts:profile"))
    )
    preferences.remember(request, response, language=language, theme=theme)
    return response
