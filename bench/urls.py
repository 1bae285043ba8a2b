"""Bloom's URLs plus the admin baseline (``bench.admin``), for the benchmark server only."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from bench import admin
from bloom.urls import urlpatterns as bloom_urlpatterns


@login_required
def signed_in(request):
    """Nothing but the signed-in person: its queries are those every page runs before its own work."""
    return HttpResponse(request.user.pk, content_type="text/plain")


urlpatterns = [
    *bloom_urlpatterns,
    path("bench-admin/", admin.site.urls),
    path("bench-signed-in/", signed_in, name="bench_signed_in"),
]
