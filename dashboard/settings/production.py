"""Production: nothing insecure by default, and a loud failure naming every missing variable."""

import base64
import re

from django.core.exceptions import ImproperlyConfigured

from dashboard.env import env_bool, env_int, env_list, env_str, require_all

from .base import *  # noqa: F403
from .base import FORCE_SCRIPT_NAME, SANDBOX_ENABLED, _derived_fernet_key

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", required=True)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", required=True)
SCALINGO_AUTH_URL = env_str("SCALINGO_AUTH_URL", required=True).rstrip("/")
SCALINGO_API_URL = env_str("SCALINGO_API_URL", required=True).rstrip("/")
SCALINGO_BILLING_URL = env_str("SCALINGO_BILLING_URL", required=True).rstrip("/")
SESSION_ENCRYPTION_KEYS = env_list("SESSION_ENCRYPTION_KEYS", required=True)
require_all()


def _fernet_key(value: str) -> str:
    """A Fernet key as is; any other random secret of 32+ characters (what a platform's secret
    generator gives, e.g. scalingo.json) becomes one by hashing, the same way on every instance."""
    try:
        if len(base64.urlsafe_b64decode(value.encode())) == 32:
            return value
    except ValueError:
        pass
    if len(value) < 32:
        raise ImproperlyConfigured(
            "SESSION_ENCRYPTION_KEYS entries must be Fernet keys or random secrets of at least 32 characters."
        )
    return _derived_fernet_key(value)


SESSION_ENCRYPTION_KEYS = [_fernet_key(key) for key in SESSION_ENCRYPTION_KEYS]

if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be false in production.")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-insecure"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a long random value in production.")
if SANDBOX_ENABLED and not env_bool("SANDBOX_FORCE_IN_PRODUCTION", False):
    raise ImproperlyConfigured(
        "SANDBOX_ENABLED is true with production settings. The sandbox imitates the platform API "
        "with demo accounts; set SANDBOX_FORCE_IN_PRODUCTION=true only if that is really meant."
    )

# TLS is terminated by the reverse proxy; cookies and HSTS assume HTTPS end to end.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Probes may call gunicorn directly over plain HTTP. SecurityMiddleware matches request.path, which
# carries the sub-path (``dash/healthz``) when the site is mounted on one.
_PREFIX = re.escape(FORCE_SCRIPT_NAME.lstrip("/") + "/") if FORCE_SCRIPT_NAME else ""
SECURE_REDIRECT_EXEMPT = [rf"^{_PREFIX}healthz$", rf"^{_PREFIX}readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Asking browsers to preload HSTS is the domain owner's decision (it binds every subdomain, and
    # leaving the list takes months), so it is opt-in and its reminder is not a deploy failure.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
