"""Test settings: the sandbox is mounted and served by pytest-django's live_server."""

import os

os.environ.setdefault("SANDBOX_ENABLED", "true")
os.environ.setdefault("LOG_FORMAT", "text")  # base builds LOGGING from it

from .base import *  # noqa: F403
from .base import BASE_DIR, INSTALLED_APPS, STORAGES, VAR_DIR

if "sandbox" not in INSTALLED_APPS:
    INSTALLED_APPS.append("sandbox")
SANDBOX_ENABLED = True
DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnop"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(VAR_DIR / "test.sqlite3"),
        "OPTIONS": {"timeout": 30},
        # A file, not memory: the live server answers upstream calls from its own threads.
        # One file per test process, so parallel runs never share (or delete) each other's database.
        "TEST": {"NAME": str(VAR_DIR / f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}.sqlite3")},
    }
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
UPSTREAM_RETRIES = 2
UPSTREAM_READ_TIMEOUT = 3.0
LOG_FORMAT = "text"
LOCALE_PATHS = [BASE_DIR / "locale"]
# The sandbox's 60 requests/minute limit is off in tests, except where a test turns it on.
SANDBOX_RATE_LIMIT = 0
# The local sandbox serves the addon logos over http from its own origin.
CSP_UPSTREAM_IMAGES = True
