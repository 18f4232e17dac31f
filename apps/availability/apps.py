from django.apps import AppConfig


class AvailabilityConfig(AppConfig):
    name = "apps.availability"
    label = "availability"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from apps.availability import stamps

        stamps.connect()
