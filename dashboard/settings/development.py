"""Development: DEBUG on, the local sandbox as the upstream unless told otherwise."""

from dashboard.env import env_bool

from .base import *  # noqa: F403
from .base import STORAGES

DEBUG = env_bool("DJANGO_DEBUG", True)
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The local sandbox serves the addon logos over http from its own origin.
CSP_UPSTREAM_IMAGES = True
