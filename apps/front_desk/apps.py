from django.apps import AppConfig


class FrontDeskConfig(AppConfig):
    name = "apps.front_desk"
    label = "front_desk"
    verbose_name = "Front desk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Roles come back after every migrate and flush. Django signals only apps with models, and
        this leaf has none, so the handler listens for the auth app's post_migrate instead."""
        from django.apps import apps
        from django.db.models.signals import post_migrate

        from apps.front_desk.roles import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=apps.get_app_config("auth"), dispatch_uid="front_desk.roles")
