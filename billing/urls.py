from django.urls import path

from billing import views

app_name = "billing"
urlpatterns = [
    path("billing/", views.billing, name="billing"),
    path("billing/profile/", views.billing_profile_edit, name="profile_edit"),
    path("invoices/", views.invoices, name="invoices"),
    path("invoices/export.csv", views.invoices_csv, name="invoices_csv"),
    path("invoices/reports/", views.reports, name="reports"),
    path("invoices/archive/<int:year>.zip", views.invoices_archive, name="invoices_archive"),
    path("invoices/archive/progress/<slug:job>/", views.invoices_archive_progress, name="invoices_archive_progress"),
    path("invoices/<str:invoice_id>/", views.invoice_detail, name="invoice_detail"),
    path("invoices/<str:invoice_id>/download/", views.invoice_download, name="invoice_download"),
    path("usage/", views.usage, name="usage"),
    path("usage/export.csv", views.usage_csv, name="usage_csv"),
]
