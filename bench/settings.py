"""Settings for the benchmark server only: Bloom's production settings over plain HTTP on loopback.

``make bench`` starts gunicorn with ``BLOOM_ENV=production`` (DEBUG off, whitenoise, the
manifest static storage, persistent database connections) and this module on top. It changes
only what a loopback benchmark cannot have, and nothing here is ever read in production:

* Cookies are not marked Secure and there is no HTTPS redirect or HSTS: the load generator
  talks plain HTTP to 127.0.0.1, and a client never sends a Secure cookie over HTTP.
* A second admin site over cases, the baseline a small program would otherwise use, is
  mounted at /bench-admin/ (``bench.urls``). Bloom's own admin never shows survivors.
* Static files are collected under var/bench/static, not into the checkout.

Two-step sign-in is turned off through the environment (``BLOOM_REQUIRE_MFA=false``), as
is the usual production switch for it; ``bench.run`` sets that and the rest.
"""

from django.core.exceptions import ImproperlyConfigured

from bloom.settings import *  # noqa: F403 (these settings are Bloom's, plus the overrides below)
from bloom.settings import BASE_DIR, INSTALLED_APPS, PRODUCTION

if not PRODUCTION:
    raise ImproperlyConfigured("bench.settings measures the production configuration: set BLOOM_ENV=production.")

ROOT_URLCONF = "bench.urls"

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0

STATIC_ROOT = BASE_DIR / "var" / "bench" / "static"

# `manage.py bench_measure`: the probes run inside Django against the benchmark database.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
