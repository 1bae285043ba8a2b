"""Bloom settings: one file, read from environment variables.

With nothing set, Bloom runs as a demo on embedded defaults (SQLite and a filesystem
broker under ``var/``). ``BLOOM_ENV=production`` refuses to start without its secrets.
Every variable is documented in ``.env.example``.
"""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


BLOOM_ENV = env_str("BLOOM_ENV", "development").lower()
if BLOOM_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("BLOOM_ENV must be 'development' or 'production'.")
PRODUCTION = BLOOM_ENV == "production"

if PRODUCTION:
    missing = [name for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL") if not env_str(name)]
    if missing:
        raise ImproperlyConfigured(f"Production needs these environment variables: {', '.join(missing)}.")

# The demo banner is shown whenever this is not production.
DEMO = not PRODUCTION
DEBUG = not PRODUCTION

VAR_DIR = Path(env_str("BLOOM_VAR_DIR") or BASE_DIR / "var")
PRIVATE_ROOT = Path(env_str("BLOOM_PRIVATE_ROOT") or VAR_DIR / "private")

SECRET_KEY = env_str("SECRET_KEY") or "development-only-key-never-used-in-production-0123456789abcdef"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("BLOOM_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "bloom.accounts",
    "bloom.directory",
    "bloom.audit",
    "bloom.notifications",
    "bloom.reports",
    "cases",
    "phases",
    "assistance",
    "outreach",
    "training",
    "retention",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "guardian",
    "simple_history",
    "axes",
]

MIDDLEWARE = [
    # First, so that it times the whole stack; inert unless BLOOM_SERVER_TIMING is on.
    "bloom.middleware.ServerTimingMiddleware",
    "bloom.middleware.CleanHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the user is loaded: a signed-in person's language replaces LocaleMiddleware's guess.
    "bloom.accounts.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "bloom.accounts.middleware.SessionLifetimeMiddleware",
    "bloom.accounts.middleware.RequireMFAMiddleware",
    "bloom.accounts.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # gunicorn serves the collected static files itself; runserver does it in development.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

ROOT_URLCONF = "bloom.urls"
WSGI_APPLICATION = "bloom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bloom.context_processors.bloom",
                "bloom.notifications.context_processors.notifications",
            ],
            # The platform package is not an app, so its template library is named here.
            "libraries": {"translated": "bloom.templatetags.translated", "rows": "bloom.templatetags.rows"},
        },
    },
]

# Database -------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'bloom.sqlite3'}",
        conn_max_age=0 if not PRODUCTION else 60,
        conn_health_checks=PRODUCTION,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo's web server, worker and beat write to one file at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A few indexes carry extra columns (INCLUDE) so that PostgreSQL answers a count from the
    # index alone; SQLite builds them without those columns, which changes only their speed.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts, authentication and sessions --------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, whose signed-in user comes with roles, permissions and the header's
    # notifications in one query.
    "bloom.accounts.backends.RoleBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

BLOOM_REQUIRE_MFA = env_bool("BLOOM_REQUIRE_MFA", PRODUCTION)
OTP_TOTP_ISSUER = "Bloom"

# Idle timeout: the session ends this long after the last request, to the minute. The
# session is saved when it changes, or by SessionLifetimeMiddleware once its last save is a
# minute old, rather than on every request.
SESSION_COOKIE_AGE = env_int("BLOOM_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Absolute lifetime, enforced by SessionLifetimeMiddleware however active the session is.
BLOOM_SESSION_MAX_AGE = timedelta(hours=env_int("BLOOM_SESSION_MAX_HOURS", 12))

AXES_FAILURE_LIMIT = env_int("BLOOM_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("BLOOM_LOCKOUT_MINUTES", 30))
# Lock the account from the address it is attacked from, so a stranger cannot lock a
# specialist out of their own caseload from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = False

# guardian: no anonymous user row; anonymous visitors never see a case.
ANONYMOUS_USER_NAME = None

# Security headers ----------------------------------------------------------------------

SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "bloom.views.csrf_failure"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("BLOOM_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Internationalisation -------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates follow the page's language; numbers and money keep the United States' separators in
# every language ($1,500.00), so that a typed amount never means two things.
FORMAT_MODULE_PATH = ["bloom.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("BLOOM_TIME_ZONE", "America/New_York")

# Static and private files ---------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Generated reports are private: no MEDIA_URL, served only through a checked view.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Background jobs ------------------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # Embedded broker for the demo: a real worker and beat exchange messages through files.
    BROKER_DIR = VAR_DIR / "broker"
    for folder in (BROKER_DIR, VAR_DIR / "broker-control"):
        folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR),
        "data_folder_out": str(BROKER_DIR),
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Program settings -----------------------------------------------------------------------

BLOOM_CONTACT_REMINDER_DAYS = env_int("BLOOM_CONTACT_REMINDER_DAYS", 14)
# How long emergency access to a case outside one's caseload lasts.
BLOOM_EMERGENCY_ACCESS = timedelta(hours=env_int("BLOOM_EMERGENCY_ACCESS_HOURS", 4))
# The largest document a person may upload to a case.
BLOOM_MAX_UPLOAD_BYTES = env_int("BLOOM_MAX_UPLOAD_MB", 10) * 1024 * 1024
# The request header (META name, e.g. HTTP_X_REAL_IP) that carries the client's address
# when a trusted proxy sets it; empty means REMOTE_ADDR.
BLOOM_CLIENT_IP_HEADER = env_str("BLOOM_CLIENT_IP_HEADER")
BLOOM_REPORT_RETENTION = timedelta(hours=env_int("BLOOM_REPORT_RETENTION_HOURS", 24))
# An assistance request above this many dollars needs a second approval (finance or the
# program director) after the supervisor's.
BLOOM_SECOND_APPROVAL_ABOVE = Decimal(env_int("BLOOM_SECOND_APPROVAL_ABOVE", 500))
# A Server-Timing header (server time, SQL time, query count) on every response, read by
# `make bench`. Off by default: it tells any visitor how much work a page did.
BLOOM_SERVER_TIMING = env_bool("BLOOM_SERVER_TIMING", False)

# Backups ----------------------------------------------------------------------------------

# Where `manage.py backup` writes its dumps and deletes them once the retention policy's
# backup days have passed. Defaulted in production too: only that command needs it.
BLOOM_BACKUP_DIR = Path(env_str("BLOOM_BACKUP_DIR") or VAR_DIR / "backups")
# The pg_dump to run; empty means the first on PATH. It must be at least the server's version.
BLOOM_PG_DUMP = env_str("BLOOM_PG_DUMP")

# Logging --------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("BLOOM_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # axes logs every successful sign-in at INFO; failures and lockouts stay visible.
        "axes": {"level": "WARNING"},
    },
}

FORM_RENDERER = "bloom.forms.BloomFormRenderer"
