"""The guest site's pages, mounted at the site root by config/urls.py."""

from django.urls import include, path, re_path

from apps.guest_site.views import booking, manage, search

app_name = "guest_site"

REFERENCE = r"(?P<reference>[A-Za-z0-9-]{10,16})"

urlpatterns = [
    path("", search.home, name="home"),
    path("search/", search.results, name="results"),
    path("book/", booking.book, name="book"),
    path("bookings/", manage.lookup, name="lookup"),
    re_path(rf"^bookings/{REFERENCE}/$", manage.booking_page, name="booking"),
    re_path(rf"^bookings/{REFERENCE}/confirm/$", booking.confirm, name="confirm"),
    re_path(rf"^bookings/{REFERENCE}/confirmed/$", booking.confirmed, name="confirmed"),
    re_path(rf"^bookings/{REFERENCE}/cancel/$", manage.cancel, name="cancel"),
    re_path(rf"^bookings/{REFERENCE}/change/$", manage.change, name="change"),
    path("i18n/", include("django.conf.urls.i18n")),
]
