from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language

from dashboard import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("i18n/language/", set_language, name="set_language"),
    path("preferences/theme/", views.theme_set, name="theme_set"),
    path("", views.overview, name="overview"),
    path("", include("accounts.urls")),
    path("", include("billing.urls")),
    path("", include("catalog.urls")),
    path("", include("referrals.urls")),
    path("", include("dashboard.activity_urls")),
]

if settings.SANDBOX_ENABLED:
    urlpatterns.append(path("sandbox/", include("sandbox.urls")))

handler404 = "dashboard.views.not_found"
handler500 = "dashboard.views.server_error"
