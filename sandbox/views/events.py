"""``GET REGIONAL /events``: the account's activity feed, newest first (§3.7)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from sandbox.http import json_response
from sandbox.models import Event
from sandbox.pagination import paginate
from sandbox.serializers import event_json


def event_list(request: HttpRequest) -> HttpResponse:
    queryset = (
        Event.objects.select_related("user")
        .filter(user=request.sandbox_user)  # type: ignore[attr-defined]
        .order_by("-created_at", "id")
    )
    events, meta = paginate(request, queryset)
    return json_response({"events": [event_json(event) for event in events], "meta": meta})
