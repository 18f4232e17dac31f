from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "apps.partners"
    label = "partners"
    verbose_name = "Partners (API)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Outbox consumers (exactly once each): one plans webhook deliveries, one appends the partner's feed."""
        from apps.partners import tasks as _tasks  # noqa: F401
        from apps.partners.feed import feed_append
        from apps.partners.serializers import BOOKING_EVENT_TYPES
        from apps.partners.webhooks import plan_deliveries
        from booking_platform.events.consumers import register_consumer

        register_consumer("partners.webhooks", plan_deliveries, event_types=BOOKING_EVENT_TYPES, transactional=True)
        register_consumer("partners.feed", feed_append, event_types=BOOKING_EVENT_TYPES, transactional=True)
