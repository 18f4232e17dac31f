from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from apps.guest_site.views.media import media as guest_media
from booking_platform.observability import health
from booking_platform.observability.metrics import metrics

handler500 = "booking_platform.web.server_error"  # a database outage answers 503, fast

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/v1/", include("apps.partners.urls")),
    path("media/<path:path>", guest_media, name="media"),
    path("", include("apps.guest_site.urls")),
]

if settings.BENCH_VIEWS:  # `make bench` only: unauthenticated load-test endpoints (bench/web), never in production
    urlpatterns.append(path("bench/", include("bench.web.urls")))
