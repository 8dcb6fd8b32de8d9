"""``GET AUTH /regions``: both regions, each pointing at its own sandbox prefix (§2.7)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from sandbox.http import json_response

_REGIONS = [
    ("osc-fr1", "Paris - Outscale", True),
    ("osc-secnum-fr1", "Paris - SecNumCloud - Outscale", False),
]


def region_list(request: HttpRequest) -> HttpResponse:
    host = request.get_host().split(":")[0]
    # The part of the path before this host's prefix (the mount point, script name included).
    mount = request.path[: request.path.index("auth/v1/")]
    regions = [
        {
            "name": name,
            "display_name": display,
            "api": request.build_absolute_uri(f"{mount}api/{name}"),
            "dashboard": request.build_absolute_uri("/"),
            "database_api": f"https://db-api.{name}.scalingo.com",
            "ssh": f"ssh.{name}.{host}:22",
            "default": default,
        }
        for name, display, default in _REGIONS
    ]
    return json_response({"regions": regions})
