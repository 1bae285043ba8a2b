"""Bloom's URLs plus the admin baseline (``bench.admin``), for the benchmark server only."""

from django.urls import path

from bench import admin
from bloom.urls import urlpatterns as bloom_urlpatterns

urlpatterns = [*bloom_urlpatterns, path("bench-admin/", admin.site.urls)]
