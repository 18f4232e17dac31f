from django.apps import AppConfig


class GuestSiteConfig(AppConfig):
    """The pages guests use: search, book, confirm, look up, change and cancel (a leaf: nothing imports it)."""

    name = "apps.guest_site"
    label = "guest_site"
    verbose_name = "Guest site"
