"""The sandbox's hosts, each under its own prefix (mounted at ``/sandbox/``).

- AUTH: ``auth/v1/…`` (``SCALINGO_AUTH_URL=…/sandbox/auth``)
- REGIONAL: ``api/<osc-fr1|osc-secnum-fr1>/v1/…`` (the ``api`` of ``GET /regions``)
- BILLING: ``billing/…`` (no ``/v1``)
- Control for tests and benchmarks: ``_control/…``
- Invoice PDFs (the 302 target of ``…/download``): ``files/invoices/<id>.pdf``, on the file host
  ``SANDBOX_FILES_URL`` when set (another origin, as the platform's ``download.scalingo.com``)
"""

from __future__ import annotations

from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from sandbox.http import json_response
from sandbox.routing import endpoint
from sandbox.views import apps, billing, catalog, control, events, files, keys, regions, tfa, tokens, users

_OPTIONAL = "optional"

auth_urls = [
    endpoint("auth", "tokens/exchange", auth_mode="none", POST=tokens.token_exchange),
    endpoint("auth", "tokens", auth_mode={"POST": "none"}, GET=tokens.token_list, POST=tokens.token_create),
    endpoint("auth", "tokens/:id", GET=tokens.token_show, DELETE=tokens.token_delete),
    endpoint("auth", "tokens/:id/renew", PATCH=tokens.token_renew),
    endpoint("auth", "keys", GET=keys.key_list, POST=keys.key_create),
    endpoint("auth", "keys/:id", GET=keys.key_show, DELETE=keys.key_delete),
    endpoint("auth", "users/self", GET=users.user_self),
    endpoint("auth", "account/profile", PATCH=users.user_update_profile),
    endpoint("auth", "users/account", PUT=users.user_update_account, PATCH=users.user_update_account),
    endpoint("auth", "users/delete", POST=users.user_deletion_request),
    endpoint("auth", "users/delete/:id/confirm", auth_mode=_OPTIONAL, POST=users.user_deletion_confirm),
    endpoint("auth", "users/stop_free_trial", POST=users.user_stop_free_trial),
    endpoint("auth", "users/roles", auth_mode=_OPTIONAL, GET=users.user_roles),
    endpoint("auth", "client/tfa", GET=tfa.tfa_show, POST=tfa.tfa_enrol, DELETE=tfa.tfa_disable),
    endpoint("auth", "client/tfa/validate", POST=tfa.tfa_validate),
    endpoint("auth", "regions", auth_mode=_OPTIONAL, GET=regions.region_list),
]

regional_urls = [
    endpoint("api", "users/self", GET=users.user_self),
    endpoint("api", "users", DELETE=users.user_delete),
    endpoint("api", "users/:id", PATCH=users.user_update_regional, PUT=users.user_update_regional),
    endpoint("api", "account/usage", GET=billing.account_usage),
    endpoint("api", "account/billing/operations", GET=billing.billing_operation_list),
    endpoint("api", "account/billing/profile", GET=billing.billing_profile_show),
    endpoint("api", "account/referrals/stats", GET=billing.referral_stats),
    endpoint("api", "account/invoices", GET=billing.invoice_list),
    endpoint("api", "account/invoices/:id", GET=billing.invoice_show),
    endpoint("api", "account/invoices/:id/download", GET=billing.invoice_download),
    endpoint("api", "apps", GET=apps.app_list, POST=apps.app_create),
    endpoint("api", "apps/:id", GET=apps.app_show, DELETE=apps.app_delete),
    endpoint("api", "events", GET=events.event_list),
    endpoint("api", "addon_categories", auth_mode=_OPTIONAL, GET=catalog.addon_category_list),
    endpoint("api", "addon_providers", auth_mode=_OPTIONAL, GET=catalog.addon_provider_list),
    endpoint("api", "addon_providers/:id/plans", auth_mode=_OPTIONAL, GET=catalog.addon_provider_plans),
    endpoint("api", "features/container_sizes", auth_mode=_OPTIONAL, GET=catalog.container_size_list),
]

billing_urls = [
    endpoint("billing", "profile", GET=billing.billing_host_profile_show),
    endpoint("billing", "profiles", POST=billing.billing_host_profile_create),
    endpoint("billing", "profiles/:id", PUT=billing.billing_host_profile_update),
]

control_urls = [
    endpoint("control", "log", GET=control.log_show, DELETE=control.log_clear),
    endpoint(
        "control",
        "faults",
        GET=control.faults_show,
        PUT=control.faults_update,
        POST=control.faults_update,
        DELETE=control.faults_clear,
    ),
    endpoint(
        "control",
        "ratelimit",
        GET=control.ratelimit_show,
        PUT=control.ratelimit_update,
        DELETE=control.ratelimit_clear,
    ),
    endpoint(
        "control",
        "behaviours",
        GET=control.behaviours_show,
        PUT=control.behaviours_update,
        DELETE=control.behaviours_clear,
    ),
    endpoint("control", "reset", POST=control.reset_all),
    endpoint("control", "seed", POST=control.seed),
    endpoint("control", "mail", GET=control.mail_list),
]


@csrf_exempt
def unknown_route(request, rest: str = ""):  # type: ignore[no-untyped-def]
    """A JSON 404 for any other sandbox path (the dashboard's own 404 page is HTML)."""
    return json_response({"error": "not found"}, status=404)


urlpatterns = [
    *auth_urls,
    *regional_urls,
    *billing_urls,
    *control_urls,
    path("files/", unknown_route, name="sandbox-files-root"),
    path("files/invoices/<str:id>.pdf", files.invoice_pdf_file, name="sandbox-invoice-pdf"),
    path("files/signed/invoices/<str:id>.pdf", files.invoice_pdf_signed, name="sandbox-invoice-pdf-signed"),
    path("files/logos/<str:id>.svg", catalog.provider_logo, name="sandbox-provider-logo"),
    re_path(r"^(?P<rest>.*)$", unknown_route),
]
