from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "apps.partners"
    label = "partners"
    verbose_name = "Partners (API)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Webhook deliveries are planned by an outbox consumer (exactly once per event and webhook)."""
        from apps.partners import tasks as _tasks  # noqa: F401
        from apps.partners.serializers import BOOKING_EVENT_TYPES
        from apps.partners.webhooks import plan_deliveries
        from booking_platform.events.consumers import register_consumer

        register_consumer("partners.webhooks", plan_deliveries, event_types=BOOKING_EVENT_TYPES, transactional=True)
