from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "sandbox"
    verbose_name = "Platform API sandbox"
    default_auto_field = "django.db.models.BigAutoField"
