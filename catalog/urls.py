from django.urls import path

from catalog import views

app_name = "catalog"
urlpatterns = [
    path("catalog/", views.catalog_page, name="catalog"),
    path("catalog/estimate/", views.estimator, name="estimator"),
]
