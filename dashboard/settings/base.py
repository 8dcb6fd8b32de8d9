"""Settings shared by every environment. Everything tunable comes from the environment."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from dashboard.env import env_bool, env_float, env_host_entries, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-insecure-secret-key-change-me-in-production-0123456789")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# The local imitation of the platform API (sandbox/). Mounted under /sandbox/ only when enabled.
SANDBOX_ENABLED = env_bool("SANDBOX_ENABLED", False)

INSTALLED_APPS = [
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "dashboard",
    "accounts",
    "billing",
    "catalog",
    "referrals",
    "activity",
]

MIDDLEWARE = [
    "dashboard.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "dashboard.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.CallerMiddleware",
    "accounts.middleware.SignedInNoStoreMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.UpstreamErrorMiddleware",
    "dashboard.middleware.ForgetActivityOnWriteMiddleware",
    "dashboard.middleware.AccountBannerMiddleware",
]

ROOT_URLCONF = "dashboard.urls"
WSGI_APPLICATION = "dashboard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "dashboard.context_processors.ui",
            ],
            "builtins": ["template_partials.templatetags.partials", "dashboard.templatetags.dates"],
        },
    }
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env_str("DATABASE_PATH", str(VAR_DIR / "dashboard.sqlite3")),
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions and cache: the database and local memory by default; Redis when REDIS_URL is set, so
# that several instances can serve one site.
REDIS_URL = env_str("REDIS_URL", "")


def redis_cache(url: str) -> dict[str, object]:
    """Django's Redis cache, with timeouts: a Redis that is down fails a request fast, never hangs it."""
    return {
        "BACKEND": "dashboard.rediscache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "dashboard",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "dashboard",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

SESSION_COOKIE_NAME = "dashboard_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 2 * 3600)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 8 * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_SERIALIZER = "django.contrib.sessions.serializers.JSONSerializer"


def _derived_fernet_key(secret: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(f"session-secrets:{secret}".encode()).digest()).decode()


# Fernet keys for the secrets kept in the session. The first encrypts; every one decrypts, so a key
# can be rotated by putting the new one first and dropping the old one later.
SESSION_ENCRYPTION_KEYS = env_list("SESSION_ENCRYPTION_KEYS", [_derived_fernet_key(SECRET_KEY)])

CSRF_COOKIE_HTTPONLY = False
CSRF_COOKIE_SAMESITE = "Lax"

# Upstream platform API. Base URLs without /v1; the client adds it where the host has it.
SCALINGO_AUTH_URL = env_str("SCALINGO_AUTH_URL", "http://127.0.0.1:8001/sandbox/auth").rstrip("/")
SCALINGO_API_URL = env_str("SCALINGO_API_URL", "http://127.0.0.1:8001/sandbox/api/osc-fr1").rstrip("/")
SCALINGO_BILLING_URL = env_str("SCALINGO_BILLING_URL", "http://127.0.0.1:8001/sandbox/billing").rstrip("/")
# Development and tests only: let the CSP allow images from SCALINGO_API_URL's own http origin (a
# local sandbox serves the addon logos). Production allows https images only.
CSP_UPSTREAM_IMAGES = False
UPSTREAM_CONNECT_TIMEOUT = env_float("UPSTREAM_CONNECT_TIMEOUT", 3.0)
UPSTREAM_READ_TIMEOUT = env_float("UPSTREAM_READ_TIMEOUT", 6.0)
UPSTREAM_RETRIES = env_int("UPSTREAM_RETRIES", 2)
UPSTREAM_POOL_SIZE = env_int("UPSTREAM_POOL_SIZE", 20)
# Invoice PDFs come from a file host, not the API (upstream-api.md §3.4). Every hop of a download
# goes only to the API hosts above or to these entries (``host``, ``host:port`` or
# ``scheme://host:port``); see dashboard/upstream/downloads.py for the rules.
SCALINGO_DOWNLOAD_HOSTS = env_host_entries("SCALINGO_DOWNLOAD_HOSTS", "download.scalingo.com")
# A whole download (every redirect and every byte) stops after this many seconds.
DOWNLOAD_DEADLINE_SECONDS = env_float("DOWNLOAD_DEADLINE_SECONDS", 30.0)
# Downloads one process runs at once; the rest of its threads stay free for pages. The default
# leaves half of gunicorn's threads (GUNICORN_THREADS, 16 unless set: the default of `make serve`,
# the Procfile and the Dockerfile) to pages.
DOWNLOAD_CONCURRENCY = env_int("DOWNLOAD_CONCURRENCY", max(1, env_int("GUNICORN_THREADS", 16) // 2))
if DOWNLOAD_CONCURRENCY < 1:
    raise ImproperlyConfigured(f"DOWNLOAD_CONCURRENCY must be 1 or more, not {DOWNLOAD_CONCURRENCY}")
if DOWNLOAD_DEADLINE_SECONDS <= 0:
    raise ImproperlyConfigured(f"DOWNLOAD_DEADLINE_SECONDS must be more than 0, not {DOWNLOAD_DEADLINE_SECONDS}")
# How long a signed-in user's reads are reused before asking the upstream again (seconds).
UPSTREAM_READ_CACHE_SECONDS = env_int("UPSTREAM_READ_CACHE_SECONDS", 30)
CATALOG_CACHE_SECONDS = env_int("CATALOG_CACHE_SECONDS", 600)

# Sign-in throttle: attempts per window, per client IP and per identity.
SIGNIN_THROTTLE_ATTEMPTS = env_int("SIGNIN_THROTTLE_ATTEMPTS", 10)
SIGNIN_THROTTLE_WINDOW = env_int("SIGNIN_THROTTLE_WINDOW", 300)

# Reverse proxy (see docs/operations.md). Only trust these headers when a proxy you run sets them
# and strips whatever the client sent.
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)
# How many reverse proxies in front append to X-Forwarded-For (0: use REMOTE_ADDR as is).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
for _origin in CSRF_TRUSTED_ORIGINS:
    if "://" not in _origin:
        raise ImproperlyConfigured(f"DJANGO_CSRF_TRUSTED_ORIGINS entries need a scheme (https://…), not {_origin!r}")


def _script_name(value: str) -> str | None:
    """The sub-path the site is mounted on: ``/dash``, or None at the root.

    gunicorn reads the same ``SCRIPT_NAME`` variable and strips it from the path it hands Django, so
    the proxy passes the full path (``/dash/…``) through unchanged. A trailing slash would make
    gunicorn cut one character too many, hence the strict form.
    """
    if value in ("", "/"):
        return None
    if not re.fullmatch(r"(/[A-Za-z0-9._~-]+)+", value):
        raise ImproperlyConfigured(f"SCRIPT_NAME must look like /dash (leading slash, no trailing one), not {value!r}")
    return value


FORCE_SCRIPT_NAME = _script_name(env_str("SCRIPT_NAME", ""))
# Cookies stay on the site's own path, so another app on the same host neither sees nor clobbers them.
SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = LANGUAGE_COOKIE_PATH = FORCE_SCRIPT_NAME or "/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "dashboard_language"
FORMAT_MODULE_PATH = ["dashboard.formats"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = env_str("STATIC_URL", (FORCE_SCRIPT_NAME or "") + "/static/")
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOG_FORMAT = env_str("LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "dashboard.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "dashboard.logging.JsonFormatter"},
        "text": {"()": "dashboard.logging.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT if LOG_FORMAT in {"json", "text"} else "json",
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}

if SANDBOX_ENABLED:
    INSTALLED_APPS.append("sandbox")

# Error reports to Sentry, only when a DSN is given; scrubbed of personal data and secrets
# (dashboard/reporting.py). Without it, unhandled errors are logged with a redacted traceback.
SENTRY_DSN = env_str("SENTRY_DSN", "")
if SENTRY_DSN:
    from dashboard.reporting import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        # The deployed commit: Scalingo sets SOURCE_VERSION at build and CONTAINER_VERSION at run.
        release=env_str("SENTRY_RELEASE", env_str("CONTAINER_VERSION", env_str("SOURCE_VERSION", ""))) or None,
    )
