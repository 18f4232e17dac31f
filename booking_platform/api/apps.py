from django.apps import AppConfig


class KernelApiConfig(AppConfig):
    name = "booking_platform.api"
    label = "kernel_api"
    verbose_name = "API plumbing"
    default_auto_field = "django.db.models.BigAutoField"
