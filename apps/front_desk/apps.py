from django.apps import AppConfig


class FrontDeskConfig(AppConfig):
    name = "apps.front_desk"
    label = "front_desk"
    verbose_name = "Front desk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from apps.front_desk.roles import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="front_desk.roles")
