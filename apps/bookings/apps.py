from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "apps.bookings"
    label = "bookings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from apps.bookings import notifications  # noqa: F401  (registers the booking-event -> message handlers)
        from apps.bookings.services.privacy import register_personal_data

        register_personal_data()  # customers' export/erasure/purge reach bookings through the kernel registry
