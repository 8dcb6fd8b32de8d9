"""Who a service acts for: the upstream credentials and the user id, never the HTTP request."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.upstream.http import Auth


@dataclass(frozen=True, eq=False)
class Caller:
    """Set once per request by the sign-in decorator (``request.caller``) and passed to services.

    ``auth`` gives the upstream client its bearer; ``user_id`` keys the per-user caches and logs.
    A read the account banner and the page both need is one read of the page's one gather (the
    same name), never a fetch kept on the caller.
    """

    auth: Auth
    user_id: str
