"""Whether the upstream hosts answer at all, for the readiness probe."""

from __future__ import annotations

from . import errors
from .http import Host, call

# A cheap read on each host; an authentication error is still an answer.
PROBES = {"regional": (Host.REGIONAL, "/addon_categories"), "auth": (Host.AUTH, "/users/self")}


def host_answers(name: str) -> bool:
    host, path = PROBES[name]
    try:
        call("GET", host, path)
    except (errors.Unauthorized, errors.NotFound, errors.Forbidden):
        return True
    except errors.UpstreamError:
        return False
    return True
