from django.urls import path

from activity import views

app_name = "activity"
urlpatterns = [
    path("activity/", views.activity, name="activity"),
    path("activity/export.csv", views.activity_csv, name="activity_csv"),
]
