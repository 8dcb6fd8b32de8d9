"""SSH keys: list with locally computed fingerprints, add (validated here first), delete after a
confirmation that names the key."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import services, sshkeys
from accounts.feedback import failure_status, form_write, success
from accounts.forms import SshKeyForm
from accounts.http import AuthenticatedRequest, signin_required
from dashboard import htmx
from dashboard.concurrency import page_gather, value
from dashboard.feedback import upstream_message
from dashboard.upstream import errors
from dashboard.upstream.account import SshKey


@dataclass(frozen=True)
class KeyRow:
    key: SshKey
    parsed: sshkeys.PublicKey | None

    @property
    def comment(self) -> str:
        return self.parsed.comment if self.parsed else ""


def render_keys(
    request: AuthenticatedRequest,
    *,
    form: SshKeyForm | None = None,
    confirm: KeyRow | None = None,
    confirm_error: str | None = None,
    notice: str | None = None,
    status: int = 200,
) -> HttpResponse:
    loaded = page_gather(request, keys=lambda: services.ssh_keys(caller=request.caller))["keys"]
    load_error = loaded if isinstance(loaded, errors.UpstreamError) else None
    keys = [] if load_error is not None else value(loaded)
    context = {
        "rows": [KeyRow(key, sshkeys.describe(key.content)) for key in keys],
        "load_error": load_error,
        "form": form or SshKeyForm(),
        "confirm": confirm,
        "confirm_error": confirm_error,
        "notice": notice,
    }
    return htmx.render(request, "accounts/ssh_keys.html", context, fragment="keys", status=status)


@require_GET
@signin_required
def ssh_keys(request: AuthenticatedRequest) -> HttpResponse:
    return render_keys(request)


@require_POST
@signin_required
def ssh_key_add(request: AuthenticatedRequest) -> HttpResponse:
    form = SshKeyForm(request.POST)
    failure: errors.UpstreamError | None = None
    if form.is_valid():
        key, failure = form_write(
            form,
            lambda: services.ssh_key_add(
                caller=request.caller, name=form.cleaned_data["name"], content=form.cleaned_data["content"]
            ),
        )
        if key is not None:
            text = _("SSH key “%(name)s” added. It works for git push right away.") % {"name": key.name}
            notice = success(request, text)
            if not htmx.wants_fragment(request):
                return HttpResponseRedirect(reverse("accounts:ssh_keys"))
            return render_keys(request, notice=notice)
    return render_keys(request, form=form, status=failure_status(request, failure))


def _row(request: AuthenticatedRequest, key_id: str) -> KeyRow | None:
    for key in services.ssh_keys(caller=request.caller):
        if key.id == key_id:
            return KeyRow(key, sshkeys.describe(key.content))
    return None


@require_http_methods(["GET", "POST"])
@signin_required
def ssh_key_delete(request: AuthenticatedRequest, key_id: str) -> HttpResponse:
    """GET: the confirmation naming the key (works without JS); POST: delete it."""
    try:
        row = _row(request, key_id)
    except errors.UpstreamError as exc:
        return render_keys(request, notice=None, status=failure_status(request, exc))
    if row is None:
        notice = success(request, _("This SSH key is already gone."))
        if not htmx.wants_fragment(request):
            return HttpResponseRedirect(reverse("accounts:ssh_keys"))
        return render_keys(request, notice=notice)
    if request.method == "GET":
        return render_keys(request, confirm=row)
    try:
        services.ssh_key_remove(caller=request.caller, key_id=key_id)
    except errors.NotFound:
        pass  # deleted elsewhere in the meantime: the outcome the person asked for
    except errors.UpstreamError as exc:
        return render_keys(
            request, confirm=row, confirm_error=upstream_message(exc), status=failure_status(request, exc)
        )
    notice = success(
        request, _("SSH key “%(name)s” deleted. Git pushes signed with it are now refused.") % {"name": row.key.name}
    )
    if not htmx.wants_fragment(request):
        return HttpResponseRedirect(reverse("accounts:ssh_keys"))
    return render_keys(request, notice=notice)
