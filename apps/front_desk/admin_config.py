from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """Django's admin with the staff site (branding, boards, reports) as the default site."""

    default_site = "apps.front_desk.site.StaffAdminSite"
