from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "booking_platform"
    label = "kernel"
    verbose_name = "Platform"
    default_auto_field = "django.db.models.BigAutoField"
