"""The sandbox's hosts, each under its own prefix (mounted at ``/sandbox/``).

- AUTH: ``auth/v1/…`` (``SCALINGO_AUTH_URL=…/sandbox/auth``)
- REGIONAL: ``api/<osc-fr1|osc-secnum-fr1>/v1/…`` (the ``api`` of ``GET /regions``)
- BILLING: ``billing/…`` (no ``/v1``)
- Control for tests and benchmarks: ``_control/…``
- Invoice PDFs (the 302 target of ``…/download``): ``files/invoices/<id>.pdf``
"""

from __future__ import annotations

from sandbox.routing import endpoint
from sandbox.views import regions, tokens, users

urlpatterns = [
    # AUTH
    endpoint("auth", "tokens/exchange", auth_mode="none", POST=tokens.token_exchange),
    endpoint("auth", "tokens", auth_mode={"POST": "none"}, GET=tokens.token_list, POST=tokens.token_create),
    endpoint("auth", "tokens/:id", GET=tokens.token_show, DELETE=tokens.token_delete),
    endpoint("auth", "tokens/:id/renew", PATCH=tokens.token_renew),
    endpoint("auth", "users/self", GET=users.user_self),
    endpoint("auth", "account/profile", PATCH=users.user_update_profile),
    endpoint("auth", "users/account", PUT=users.user_update_account, PATCH=users.user_update_account),
    endpoint("auth", "users/delete", POST=users.user_deletion_request),
    endpoint("auth", "users/delete/:id/confirm", auth_mode="optional", POST=users.user_deletion_confirm),
    endpoint("auth", "users/stop_free_trial", POST=users.user_stop_free_trial),
    endpoint("auth", "users/roles", auth_mode="optional", GET=users.user_roles),
    endpoint("auth", "regions", auth_mode="optional", GET=regions.region_list),
    # REGIONAL
    endpoint("api", "users/self", GET=users.user_self),
    endpoint("api", "users", DELETE=users.user_delete),
    endpoint("api", "users/:id", PATCH=users.user_update_regional, PUT=users.user_update_regional),
]
