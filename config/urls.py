from django.conf import settings
from django.contrib import admin
from django.urls import path

from booking_platform.observability import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(settings.ADMIN_URL, admin.site.urls),
]
