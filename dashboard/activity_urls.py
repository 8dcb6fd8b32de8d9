from django.urls import path

from dashboard import activity_views as views

app_name = "activity"
urlpatterns = [
    path("activity/", views.activity, name="activity"),
    path("activity/export.csv", views.activity_csv, name="activity_csv"),
]
