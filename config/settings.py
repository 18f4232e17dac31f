"""The one settings module. Every knob comes from the environment (README lists them)."""

from __future__ import annotations

import sys
from pathlib import Path

from celery.schedules import crontab

from config.database import database_config
from config.env import ConfigurationError, Env
from config.redis_tls import broker_ssl_options, redis_url_with_ca
from config.storage import media_storage_from_env

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env()

try:
    DEBUG = env.bool("DJANGO_DEBUG", default=False)
    SECRET_KEY = env.required("DJANGO_SECRET_KEY", when=not DEBUG) or "insecure-debug-only-key"
    DATABASES = {
        "default": database_config(
            env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
            pool_min=env.int("DB_POOL_MIN_SIZE", default=2),
            pool_max=env.int("DB_POOL_MAX_SIZE", default=10),
            pool_timeout=env.float("DB_POOL_TIMEOUT", default=3.0),
            connect_timeout=env.int("DB_CONNECT_TIMEOUT", default=3),
            pool=env.bool("DB_POOL", default=True),  # manage.py turns it off: one short connection
            oracle_test_user=env.str("ORACLE_TEST_USER", default=""),
            oracle_dsn=env.str("ORACLE_DSN", default=""),
            oracle_wallet_dir=env.str("ORACLE_WALLET_DIR", default=""),
            oracle_wallet_password=env.str("ORACLE_WALLET_PASSWORD", default=""),
        )
    }
    REDIS_URL = env.str("REDIS_URL", default="")
    CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
    REDIS_TLS_CA_FILE = env.str("REDIS_TLS_CA_FILE", default="")  # rediss:// (OCI Cache): CA beyond the system's
    REDIS_URL = redis_url_with_ca(REDIS_URL, ca_file=REDIS_TLS_CA_FILE)  # rediss:// always verifies the server
    _media_storage = media_storage_from_env(env)  # MEDIA_S3_BUCKET set: object storage; else MEDIA_ROOT
    _email = env.email_url("EMAIL_URL", default="consolemail://")
    SENTRY_DSN = env.str("SENTRY_DSN", default="")
    METRICS_TOKEN = env.str("METRICS_TOKEN", default="")  # set it: /metrics then wants "Bearer <token>"
    # Debug off, /metrics without a token answers 403 unless it is explicitly public (e.g. a private port).
    METRICS_PUBLIC = env.bool("METRICS_PUBLIC", default=DEBUG)
    # Console mail/SMS in production loses every message: web and worker refuse to start unless allowed.
    ALLOW_CONSOLE_BACKENDS = env.bool("ALLOW_CONSOLE_BACKENDS", default=DEBUG)
except ConfigurationError as exc:
    sys.exit(f"booking_platform: configuration error: {exc}")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="admin/").strip("/") + "/"
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "apps.front_desk",  # before the admin: its admin/base_site.html brands the staff site
    "apps.front_desk.admin_config.StaffAdminConfig",  # django.contrib.admin with the staff site as default
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "axes",
    "booking_platform",
    "booking_platform.api",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "apps.availability",
    "apps.customers",
    "apps.bookings",
    "apps.partners",
    "django_countries",
    "apps.guest_site",
]

MIDDLEWARE = [
    # First: REMOTE_ADDR becomes the client's address when TRUSTED_PROXY_COUNT proxies forward it.
    "booking_platform.forwarded.TrustedProxyMiddleware",
    "booking_platform.observability.middleware.RequestIdMiddleware",
    # Probes answer any Host (a pod IP): served here, before anything calls request.get_host().
    "booking_platform.observability.health.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "booking_platform.web.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into its 429 page
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out username/IP before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
# Admin login throttling (django-axes, state in the database so every pod agrees).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429

# Content-Security-Policy (django-csp): nothing inline, nothing third-party; the admin works under it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("fr", "Français"), ("es", "Español")]
# Apps' own locale/ dirs are found by Django; catalogs that live deeper in a package are listed here.
LOCALE_PATHS = [BASE_DIR / "apps" / "bookings" / "notifications" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# Hashed, compressed names from `collectstatic` (the image runs it at build time).
STATIC_MANIFEST = env.bool("DJANGO_STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=not STATIC_MANIFEST)

# --- HTTPS (one switch; API Gateway / load balancer terminates TLS) ---
# On unless debug; opt out (DJANGO_HTTPS=false) only behind a proxy that redirects to TLS itself.
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=HTTPS)
# Load balancer + ingress: how many proxies append to X-Forwarded-For (0: ignore the header).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
USE_X_FORWARDED_HOST = env.bool("DJANGO_USE_X_FORWARDED_HOST", default=False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)  # preload lists are hard to leave
# Not preloading is a decision (leaving the browsers' list takes months), not an oversight.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- cache ---
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- email ---
globals().update(_email)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Booking Platform <bookings@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# --- Celery (unset broker: tasks run in-process, so the embedded default needs no Redis) ---
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = env.bool("CELERY_TASK_EAGER_PROPAGATES", default=False)
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"
CELERY_BROKER_USE_SSL = broker_ssl_options(CELERY_BROKER_URL, ca_file=REDIS_TLS_CA_FILE)  # rediss:// broker
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"

# --- guest site: look-ups by reference+email (or a wrong secret link) allowed per client per window ---
GUEST_LOOKUP_ATTEMPTS = env.int("GUEST_LOOKUP_ATTEMPTS", default=5)
GUEST_LOOKUP_WINDOW = env.int("GUEST_LOOKUP_WINDOW", default=900)
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=DEBUG)  # room photos from MEDIA_ROOT (object storage in production)

# --- bookings: holds lapse by themselves; the sweeper and the nightly inventory check ---
BOOKING_HOLD_MINUTES = env.int("BOOKING_HOLD_MINUTES", default=15)
BOOKINGS_RECONCILE_HOUR_UTC = env.int("BOOKINGS_RECONCILE_HOUR_UTC", default=3)

# --- events and notifications (booking_platform/events, booking_platform/notifications) ---
EVENTS_SWEEP_SECONDS = env.float("EVENTS_SWEEP_SECONDS", default=5.0)
EVENTS_SWEEP_BATCH = env.int("EVENTS_SWEEP_BATCH", default=500)
EVENTS_REDISPATCH_AFTER_SECONDS = env.int("EVENTS_REDISPATCH_AFTER_SECONDS", default=300)
EVENTS_REDISPATCH_WINDOW_DAYS = env.int("EVENTS_REDISPATCH_WINDOW_DAYS", default=2)
EVENTS_RETENTION_DAYS = env.int("EVENTS_RETENTION_DAYS", default=400)
EVENT_STREAM_BACKEND = env.str("EVENT_STREAM_BACKEND", default="")  # redis | kafka | none; empty: redis if REDIS_URL
EVENT_STREAM_NAME = env.str("EVENT_STREAM_NAME", default="booking-events")
EVENT_STREAM_MAXLEN = env.int("EVENT_STREAM_MAXLEN", default=1_000_000)
KAFKA_BOOTSTRAP_SERVERS = env.str("KAFKA_BOOTSTRAP_SERVERS", default="")
KAFKA_TOPIC = env.str("KAFKA_TOPIC", default="booking-events")
KAFKA_USERNAME = env.str("KAFKA_USERNAME", default="")
KAFKA_PASSWORD = env.str("KAFKA_PASSWORD", default="")
SMS_BACKEND = env.str("SMS_BACKEND", default="console")  # console | http | dotted.path.Backend
SMS_API_URL = env.str("SMS_API_URL", default="")
SMS_API_KEY = env.str("SMS_API_KEY", default="")
SMS_FROM = env.str("SMS_FROM", default="")
SMS_TIMEOUT = env.float("SMS_TIMEOUT", default=10.0)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=6)
NOTIFICATIONS_RESCUE_AFTER_SECONDS = env.int("NOTIFICATIONS_RESCUE_AFTER_SECONDS", default=120)
# A booking must not wait on a dead broker: publishing fails fast, the outbox sweeper retries.
CELERY_BROKER_TRANSPORT_OPTIONS.update(
    {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
)

# --- Celery queues and beat: every route and every schedule in one place ---
MAINTENANCE_TASKS = (
    "kernel.ping",
    "availability.extend_inventory",
    "availability.reclaim_expired_holds",
    "bookings.release_expired_holds",
    "bookings.reconcile_inventory",
    "events.purge",
    "notifications.purge",
    "api.purge_idempotency",
    "partners.retry_webhooks",
    "partners.purge",
)
CELERY_TASK_ROUTES = {
    **{name: {"queue": "maintenance"} for name in MAINTENANCE_TASKS},
    "notifications.*": {"queue": "notifications"},
}
DAILY = 24 * 60 * 60.0
CELERY_BEAT_SCHEDULE = {
    "availability.extend_inventory": {"task": "availability.extend_inventory", "schedule": DAILY},
    "bookings.release_expired_holds": {
        "task": "bookings.release_expired_holds",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "bookings.reconcile_inventory": {
        "task": "bookings.reconcile_inventory",
        "schedule": crontab(minute=17, hour=BOOKINGS_RECONCILE_HOUR_UTC),
    },
    "events.sweep": {
        "task": "events.sweep",
        "schedule": EVENTS_SWEEP_SECONDS,
        "options": {"expires": max(EVENTS_SWEEP_SECONDS * 2, 10)},
    },
    "events.reconcile": {"task": "events.reconcile", "schedule": float(EVENTS_REDISPATCH_AFTER_SECONDS)},
    "events.purge": {"task": "events.purge", "schedule": DAILY},
    "notifications.rescue": {"task": "notifications.rescue", "schedule": 60.0},
    "notifications.purge": {"task": "notifications.purge", "schedule": DAILY},
    "api.purge_idempotency": {"task": "api.purge_idempotency", "schedule": 3600.0},
    "partners.retry_webhooks": {"task": "partners.retry_webhooks", "schedule": 30.0, "options": {"expires": 25}},
    "partners.purge": {"task": "partners.purge", "schedule": DAILY},
}

# --- logging: JSON lines on stdout, nothing writes files ---
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "booking_platform.observability.logging.RequestIdFilter"},
        "bad_host": {"()": "booking_platform.observability.logging.DisallowedHostFilter"},
    },
    "formatters": {
        "json": {"()": "booking_platform.observability.logging.JsonFormatter"},
        "console": {"()": "booking_platform.observability.logging.ConsoleFormatter"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json" if LOG_FORMAT == "json" else "console",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "django.security.DisallowedHost": {"filters": ["bad_host"]},
        "axes.apps": {"level": "WARNING"},  # its start-up banner on every manage.py call
        "celery": {"level": LOG_LEVEL},
    },
}

# --- availability ---
AVAILABILITY_MAX_NIGHTS = env.int("AVAILABILITY_MAX_NIGHTS", default=30)
AVAILABILITY_CALENDAR_DAYS = env.int("AVAILABILITY_CALENDAR_DAYS", default=365)
# Search keeps each property's room types and rate plans in memory under its catalogue stamp, which every
# catalogue write renews; this bounds how long a write that bypasses the model (raw SQL) goes unseen. 0: off.
CATALOGUE_CACHE_SECONDS = env.int("CATALOGUE_CACHE_SECONDS", default=60)
# How far ahead nights may be priced, opened and booked (and ~1 year back for corrections).
ARI_HORIZON_DAYS = env.int("ARI_HORIZON_DAYS", default=1830)
# `make bench` only: mounts unauthenticated load-test endpoints under /bench/ (bench/web). Never in production.
BENCH_VIEWS = env.bool("BENCH_VIEWS", default=False)

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "booking_platform.api.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}

# --- partner API (/api/v1): idempotency, rate limits, webhooks (apps/partners, booking_platform/api) ---
IDEMPOTENCY_TTL_HOURS = env.int("IDEMPOTENCY_TTL_HOURS", default=24)
IDEMPOTENCY_LOCK_SECONDS = env.int("IDEMPOTENCY_LOCK_SECONDS", default=60)
API_PARTNER_RATE_PER_MINUTE = env.int("API_PARTNER_RATE_PER_MINUTE", default=600)  # default; per partner in admin
API_ANON_RATE_PER_MINUTE = env.int("API_ANON_RATE_PER_MINUTE", default=30)  # unauthenticated, per client IP
API_RATELIMIT_REDIS_URL = env.str("API_RATELIMIT_REDIS_URL", default="") or REDIS_URL  # empty: per process
API_KEY_ROTATION_OVERLAP_HOURS = env.int("API_KEY_ROTATION_OVERLAP_HOURS", default=24)
WEBHOOKS_TIMEOUT = env.float("WEBHOOKS_TIMEOUT", default=5.0)
WEBHOOKS_RETRY_HOURS = env.int("WEBHOOKS_RETRY_HOURS", default=24)
WEBHOOKS_DISABLE_AFTER_FAILURES = env.int("WEBHOOKS_DISABLE_AFTER_FAILURES", default=20)
WEBHOOKS_ALLOW_PRIVATE_URLS = env.bool("WEBHOOKS_ALLOW_PRIVATE_URLS", default=False)  # tests and laptops only
SPECTACULAR_SETTINGS = {
    "TITLE": "booking_platform partner API",
    "DESCRIPTION": "Search, hold, book and cancel hotel rooms; booking events by webhook and feed.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.partners.views.schema.add_problem_responses",
    ],
}

if SENTRY_DSN:
    from booking_platform.observability.sentry import init_sentry

    init_sentry(SENTRY_DSN, environment=env.str("SENTRY_ENVIRONMENT", default="production"))
