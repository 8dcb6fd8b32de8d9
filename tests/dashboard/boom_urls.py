"""The site's URLs plus one view that fails, for the tests of unhandled errors."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from dashboard.urls import urlpatterns as site_urlpatterns

BEARER = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib29tIn0.c2lnbmF0dXJlLW9mLXRoZS1ib29tLWJlYXJlcg"
API_TOKEN = "tk-us-BoomBoomBoomBoomBoomBoomBoomBoom0123"
LOCAL_SECRET = "local-variable-secret-7f3a9c"


@csrf_exempt  # the tests post to it without a form
def boom(request: HttpRequest) -> HttpResponse:
    password = LOCAL_SECRET  # a local a traceback printer with locals would show
    raise RuntimeError(f"the platform refused Authorization: Bearer {BEARER} for {API_TOKEN} ({len(password)})")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
handler404 = "dashboard.views.not_found"
handler500 = "dashboard.views.server_error"
