"""Settings of the incubator portal, read from the environment (see the table in README.md)."""

import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from django.utils.translation import gettext_lazy as _

from incubator.api.schema import SPECTACULAR_SETTINGS  # noqa: F401 - beside the schema's hooks
from incubator.beat import BEAT_SCHEDULE

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("INCUBATOR_DATA_DIR", BASE_DIR / ".data"))
TESTING = "pytest" in sys.modules


def _fail(setting: str, problem: str):
    """One clear line naming the setting, instead of a traceback from deep inside Django."""
    sys.stderr.write(f"Configuration error in {setting}: {problem}\n")
    raise SystemExit(2)


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    _fail(name, f"{raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off.")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name) or str(default)
    try:
        return int(raw)
    except ValueError:
        _fail(name, f"{raw!r} is not a whole number.")


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _database_config() -> dict:
    url = os.environ.get("DATABASE_URL")
    if not url:
        from incubator.embedded import postgres_url

        url = postgres_url(DATA_DIR)
    if urlsplit(url).scheme not in {"postgres", "postgresql", "pgsql"}:
        _fail("DATABASE_URL", f"{url!r} is not a PostgreSQL URL (postgres://user:password@host:5432/name).")
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        _fail("DATABASE_URL", str(error))
    if not config.get("NAME"):
        _fail("DATABASE_URL", f"{url!r} names no database.")
    return config


def _with_redis_db(url: str, db: int) -> str:
    """The same Redis server, another database number: tests never share the dev broker."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = {**parse_qs(parts.query), "db": [str(db)]}
        return f"unix://{parts.path}?{urlencode(query, doseq=True)}"
    return urlunsplit(parts._replace(path=f"/{db}"))


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL")
    if not url:
        from incubator.embedded import redis_url

        url = redis_url(DATA_DIR)
    if urlsplit(url).scheme not in {"redis", "rediss", "unix"}:
        _fail("REDIS_URL", f"{url!r} is not a Redis URL (redis://host:6379/0 or unix:///path/redis.sock).")
    return _with_redis_db(url, _test_redis_db()) if TESTING else url


def _test_redis_db() -> int:
    """Each pytest-xdist worker (gw0, gw1, …) caches, counts and queues in a Redis database of its own."""
    return 1 + int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


def celery_broker_url(redis_url: str) -> str:
    """Kombu spells a unix-socket Redis URL differently from redis-py."""
    parts = urlsplit(redis_url)
    if parts.scheme != "unix":
        return redis_url
    db = parse_qs(parts.query).get("db", ["0"])[0]
    return f"redis+socket://{parts.path}?virtual_host={db}"


# Two switches, kept apart:
# - DEBUG shows Django's debug pages (tracebacks, settings, the whole URLconf on a 404). Off unless asked for:
#   only `make run` turns it on (manage.py rundev), for its development server.
# - LOCAL is a developer's machine or a test run: the embedded services' defaults (a development SECRET_KEY,
#   mail printed to the console, localhost hosts, plain HTTP, static files served unhashed). On when no
#   DATABASE_URL is set (the embedded PostgreSQL is never production), under pytest, or when DEBUG is on.
DEBUG = _env_bool("DEBUG", default=False)
LOCAL = _env_bool("LOCAL", default=DEBUG or TESTING or not os.environ.get("DATABASE_URL"))
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not LOCAL:
        _fail("SECRET_KEY", "must be set outside a local run (a long random string).")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if LOCAL else "")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", "")

TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    _fail("TIME_ZONE", f"{TIME_ZONE!r} is not an IANA time zone such as Asia/Jerusalem.")
USE_TZ = True
USE_I18N = True

INSTALLED_APPS = [
    "incubator.apps.PortalAdminConfig",  # django.contrib.admin, with the portal's admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "pgtrigger",
    "pghistory",
    "rest_framework",
    "drf_spectacular",
    "incubator",
    "cohorts",
    "applications",
    "mentoring",
    "workspaces",
    "demo",  # the demo and scale seeders and their commands (seed_demo, seed_scale); no models
]

MIDDLEWARE = [
    "incubator.middleware.RequestReceivedMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "incubator.csp.ContentSecurityPolicyMiddleware",
    # Before anything reads the session or the form: a NUL in the address, query, form or a cookie is refused (400)
    # or dropped; ids past bigint are 404; a DataError/OverflowError a view lets through is a 400 (issue 18).
    "incubator.odd_input.OddInputMiddleware",
    # Pages shrink to about a fifth. BREACH needs many cross-site requests carrying the session cookie and a
    # secret that is the same in every response: the session cookie is SameSite=Lax (so no cross-site
    # subrequest carries it) and Django masks the CSRF token afresh in every response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "incubator.middleware.HtmxSignedOutMiddleware",
    "incubator.language.PreferredLanguageMiddleware",
    "incubator.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Every row change a request makes (views and the admin alike) is tied to who made it: see incubator/history.py.
    "pghistory.middleware.HistoryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# `make bench` only (tests/perf/bench.py): each response says how many SQL queries it ran (X-Queries), and
# /bench/ceiling/ answers a constant, the fastest page this server can serve.
BENCH = _env_bool("BENCH", default=False)
if BENCH:
    MIDDLEWARE.insert(0, "incubator.middleware.QueryCountMiddleware")

ROOT_URLCONF = "incubator.urls"
WSGI_APPLICATION = "incubator.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "incubator.context_processors.roles",
            ],
        },
    },
]

DATABASES = {"default": _database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = _redis_url()
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "incubator",
    }
}

AUTH_USER_MODEL = "incubator.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Per client address (ip) and per email address typed (key); the admin signs in through the same page.
# Failed sign-ins are held per account: 5 per 5 minutes for one email address, wherever they come from, which is what
# stops guessing one person's password. The per-address limit is only against one machine trying many accounts,
# and is sized for a shared address: BizMax alone hosts over a hundred businesses behind one connection (a
# coworking space or a university is one address too), so a few hundred people, each allowed a mistyped password
# or two in an hour, must not lock each other out. 300 failures an hour is that; a guesser behind it still gets at
# most 5 tries per account per 5 minutes. The key comes first: an attempt refused for its account is then not
# counted for the address too (allauth counts the rates in order and stops at the first one refused), and
# incubator.adapters counts nothing for a refused attempt. Mistyped made-up addresses count for themselves only.
# "login" counts every sign-in (right or wrong) per address: 120 a minute lets a room of a hundred people sign in
# at the start of a session.
ACCOUNT_RATE_LIMITS = {
    "login": "120/m/ip",
    "login_failed": "5/5m/key,300/h/ip",
    "signup": "10/m/ip",
    "reset_password": "10/m/ip,3/5m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
# The client's address, for the per-address limits, when the portal runs behind proxies: the number of proxies
# under our control that append to X-Forwarded-For (the load balancer, nginx). 0 (the default) ignores the header
# and counts the connection's address, which behind a proxy is the proxy's, one address for everyone. Set it to
# exactly the number of proxies: one more and a client can choose its address by sending the header itself.
ALLAUTH_TRUSTED_PROXY_COUNT = _env_int("TRUSTED_PROXY_COUNT", 0)
# Or a header in which the (only) proxy puts the client's address, e.g. X-Real-IP or CF-Connecting-IP.
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER") or None
ACCOUNT_ADAPTER = "incubator.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "incubator.forms.SignupExtraForm"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
LOGIN_URL = "account_login"
CSRF_FAILURE_VIEW = "incubator.views.csrf_failure"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("he", _("Hebrew")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("pl", _("Polish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Where Django's own locale formats are wrong for a language (Arabic); pages format through incubator.when.
FORMAT_MODULE_PATH = ["incubator.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
if not LOCAL:
    # In development runserver serves static files; in production WhiteNoise does, from collectstatic: compressed
    # (brotli and gzip), under content-hashed names cached for a year (`immutable`).
    after_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
    MIDDLEWARE.insert(after_security, "whitenoise.middleware.WhiteNoiseMiddleware")
# Uploaded files live outside the web root and are served by views that check permissions.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if LOCAL
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Several web machines share uploads through object storage (S3 or compatible): with a bucket named, uploads go
# there, private (every file is served through a view that checks permissions, never from the bucket's address).
# boto3 reads the credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the machine's role.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# A final submission is accepted this many seconds past the deadline: requests sent in the last second queue
# behind each other on a busy server and reach the application code late (tests/reliability/test_faults.py).
SUBMISSION_GRACE_SECONDS = _env_int("SUBMISSION_GRACE_SECONDS", 60)

# Audit history (incubator/history.py): event tables refuse UPDATE and DELETE (append-only triggers); only the
# personal-data erasure bypasses that, for the one person's free text.
PGHISTORY_APPEND_ONLY = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if LOCAL else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", default=False)
# A mail server that accepts the connection and then says nothing fails the send after this many seconds.
EMAIL_TIMEOUT = _env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Incubator portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

CELERY_BROKER_URL = celery_broker_url(REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
# No task runs for ever: at the soft limit the task gets an exception it records (a send goes back to pending),
# at the hard limit the worker process is replaced.
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_TASK_TIME_LIMIT = 120
# A ledger row left `sending` longer than this was abandoned by a dead worker and is sent again. Longer than
# the hard time limit, so a send still under way is never started a second time.
NOTIFICATION_SENDING_TIMEOUT = 15 * 60
# Webhooks (incubator/webhook_delivery.py). An endpoint that accepts the connection and then says nothing fails the
# attempt after WEBHOOK_TIMEOUT seconds; a row left `sending` longer than WEBHOOK_SENDING_TIMEOUT (longer than the
# task's hard time limit) was abandoned by a dead worker and is sent again. Endpoints on private, loopback or
# link-local addresses (and plain http) are refused unless the operator allows them (a receiver on the same host).
WEBHOOK_TIMEOUT = _env_int("WEBHOOK_TIMEOUT", 10)
WEBHOOK_SENDING_TIMEOUT = 15 * 60
WEBHOOK_FIRST_BACKOFF = 60
WEBHOOK_MAX_BACKOFF = 6 * 3600
WEBHOOK_RETRY_DAYS = 3
WEBHOOK_LOG_DAYS = 30
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = _env_bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=False)
# Task modules outside an app's top-level tasks.py (which autodiscovery finds by itself).
CELERY_IMPORTS = ["applications.scoring.tasks", "applications.interviews.tasks", "mentoring.tasks"]
CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE

# The API (incubator/api, README.md "API"): tokens only, problem documents for every error, a request budget per
# token counted in the shared cache (429 with Retry-After past it).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["incubator.api.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["incubator.api.auth.HasAreaScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["incubator.api.parsers.ApiJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["incubator.api.auth.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("API_RATE_LIMIT", "600/minute")},
    "EXCEPTION_HANDLER": "incubator.api.errors.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

if not LOCAL:
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Production is HTTPS only (SECURE_SSL_REDIRECT), so browsers may remember that for a year.
    SECURE_HSTS_SECONDS = _env_int("SECURE_HSTS_SECONDS", 31536000)
    # These cover the portal's own host and its subdomains (portal.example.org, *.portal.example.org), not
    # its siblings; "preload" only allows submitting the host to browsers' list, which is a manual step.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusal_one_line": {"()": "incubator.log_filters.RefusalWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refusal_one_line"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"pgserver": {"level": "WARNING"}},
}
