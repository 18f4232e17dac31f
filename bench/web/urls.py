"""Mounted by config/urls.py only when settings.BENCH_VIEWS is on."""

from django.urls import path

from bench.web import views

urlpatterns = [
    path("plain", views.plain, name="bench-plain"),
    path("drf", views.DrfPlain.as_view(), name="bench-drf"),
    path("raw-book", views.raw_book, name="bench-raw-book"),
    path("naive-book", views.naive_book, name="bench-naive-book"),
    path("service-book", views.service_book, name="bench-service-book"),
    path("search", views.search, name="bench-search"),
]
