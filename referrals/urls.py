from django.urls import path

from referrals import views

app_name = "referrals"
urlpatterns = [
    path("referrals/", views.referrals_page, name="referrals"),
]
