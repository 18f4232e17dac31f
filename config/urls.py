from django.conf import settings
from django.contrib import admin
from django.urls import path

from booking_platform.observability import health
from booking_platform.observability.metrics import metrics

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path(settings.ADMIN_URL, admin.site.urls),
]
