from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "booking_platform"
    label = "kernel"
    verbose_name = "Platform"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the relay's fast path, the stream consumer and the kernel's tasks."""
        from booking_platform.events import tasks as _event_tasks  # noqa: F401
        from booking_platform.events.wiring import wire
        from booking_platform.notifications import tasks as _notification_tasks  # noqa: F401

        wire()
