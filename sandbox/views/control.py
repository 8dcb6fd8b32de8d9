"""``/sandbox/_control/…``: what tests and benchmarks use to observe and steer the sandbox.

- ``GET|DELETE log``: the request log (``?limit=N`` keeps the last N entries).
- ``GET|PUT|DELETE faults``: ``{latency_ms, fault_rate, hang_seconds, forced, paths}``.
- ``GET|PUT|DELETE ratelimit``: ``{limit}`` (0 = off; DELETE = back to settings).
- ``GET|PUT|DELETE behaviours``: ``{enabled: [names]}`` (see ``sandbox.behaviours``).
- ``POST reset``: faults, behaviours, rate limit and log back to defaults.
- ``POST seed``: ``sandbox_seed``. ``GET mail``: the account-deletion emails.

These answers bypass faults, the rate limit and the log.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse

from sandbox import behaviours, faults, ratelimit, requestlog
from sandbox.http import Invalid, json_response, read_json
from sandbox.models import AccountDeletion
from sandbox.seed import seed_demo


def log_show(request: HttpRequest) -> HttpResponse:
    entries = requestlog.entries()
    limit = request.GET.get("limit", "")
    if limit.isdigit():
        entries = entries[-int(limit) :] if int(limit) else []
    return json_response({"entries": entries, "count": len(entries)})


def log_clear(request: HttpRequest) -> HttpResponse:
    requestlog.clear()
    return json_response({"entries": [], "count": 0})


def faults_show(request: HttpRequest) -> HttpResponse:
    return json_response({"faults": faults.current()})


def faults_update(request: HttpRequest) -> HttpResponse:
    data = read_json(request)
    data = data.get("faults", data) if isinstance(data.get("faults"), dict) else data
    allowed = {"latency_ms", "fault_rate", "hang_seconds", "forced", "paths"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise Invalid({field: ["is not a fault setting"] for field in unknown})
    if data.get("forced") is None and "forced" in data:
        data["forced"] = ""
    try:
        faults.configure(**data)
    except (TypeError, ValueError) as exc:
        raise Invalid({"faults": [str(exc)]}) from None
    return json_response({"faults": faults.current()})


def behaviours_show(request: HttpRequest) -> HttpResponse:
    return json_response({"behaviours": behaviours.current()})


def behaviours_update(request: HttpRequest) -> HttpResponse:
    data = read_json(request)
    names = data.get("enabled")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise Invalid({"enabled": ["must be a list of behaviour names"]})
    try:
        behaviours.reset()
        behaviours.enable(*names)
    except KeyError as exc:
        raise Invalid({"enabled": [str(exc)]}) from None
    return json_response({"behaviours": behaviours.current()})


def behaviours_clear(request: HttpRequest) -> HttpResponse:
    behaviours.reset()
    return json_response({"behaviours": behaviours.current()})


def faults_clear(request: HttpRequest) -> HttpResponse:
    faults.reset()
    return json_response({"faults": faults.current()})


def ratelimit_show(request: HttpRequest) -> HttpResponse:
    return json_response({"ratelimit": {"limit": ratelimit.limit(), "window_seconds": 60}})


def ratelimit_update(request: HttpRequest) -> HttpResponse:
    limit = read_json(request).get("limit")
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        raise Invalid({"limit": ["should be a whole number, 0 to turn the limit off"]})
    ratelimit.configure(limit=limit)
    return ratelimit_show(request)


def ratelimit_clear(request: HttpRequest) -> HttpResponse:
    ratelimit.reset()
    return ratelimit_show(request)


def reset_all(request: HttpRequest) -> HttpResponse:
    faults.reset()
    behaviours.reset()
    ratelimit.reset()
    requestlog.clear()
    return json_response({"reset": True})


def seed(request: HttpRequest) -> HttpResponse:
    return json_response({"created": seed_demo()})


def mail_list(request: HttpRequest) -> HttpResponse:
    deletions = AccountDeletion.objects.select_related("user").order_by("created_at")
    mail = [
        {
            "to": deletion.user.email,
            "subject": "Confirm the deletion of your account",
            "deletion_id": deletion.id,
            "token": deletion.token,
            # Where the email's link leads: the dashboard's confirmation page, served on this origin.
            "link": request.build_absolute_uri(
                "/authentication/delete/confirm/?" + urlencode({"deletion": deletion.id, "token": deletion.token})
            ),
        }
        for deletion in deletions
    ]
    return json_response({"mail": mail})
