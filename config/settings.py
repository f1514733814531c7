"""Settings for the township disclosure portal.

Every setting that differs between a laptop and a county server comes from the
environment (see `.env.example` and README.md). With nothing set, the portal runs
embedded: SQLite in WAL mode under `var/`, local-memory cache, mail to the console.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
# A checkout (manage.py at its top) keeps templates/, static/, locale/ and var/ there. An
# installed portal has BASE_DIR = <prefix>/lib/pythonX.Y/site-packages, and pip put the
# first three under <prefix>/share/township-disclosure-portal/ (pyproject.toml, data-files);
# var/ then defaults to <prefix>/var/township-disclosure-portal/, not into site-packages.
if (BASE_DIR / "manage.py").is_file():
    SITE_FILES_DIR, _DEFAULT_VAR_DIR = BASE_DIR, BASE_DIR / "var"
else:
    _PREFIX = BASE_DIR.parents[2]
    SITE_FILES_DIR = _PREFIX / "share" / "township-disclosure-portal"
    _DEFAULT_VAR_DIR = _PREFIX / "var" / "township-disclosure-portal"


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in envstr(name, default).split(",") if item.strip()]


def envsecret(name: str) -> str:
    """Read a secret from NAME, or from the file named by NAME_FILE (Docker/systemd secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, "")


VAR_DIR = Path(envstr("PORTAL_VAR_DIR", str(_DEFAULT_VAR_DIR)))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _local_secret_key() -> str:
    # For the embedded setup only: one random key kept under var/, so `make run`
    # needs no configuration and sessions survive restarts. Production sets
    # DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE).
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = envbool("DJANGO_DEBUG", False)
SECRET_KEY = envsecret("DJANGO_SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

INSTALLED_APPS = [
    "config.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "csp",
    "django_prose_editor",  # the notice body editor's scripts and styles (disclosure.editor)
    "portal",
    "catalog",
    "disclosure",
    "applications",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.OrganizationScopeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Below CSP, so that the 405 page it renders gets the same security headers.
    "config.middleware.NotAllowedPageMiddleware",
    "config.pagecache.PublicPageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_FILES_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite: WAL so readers never wait for the writer; IMMEDIATE so a transaction
# takes the write lock at BEGIN and waits up to `timeout` for it, instead of
# failing with "database is locked" half-way (select_for_update() is a no-op on
# SQLite, so IMMEDIATE is also what serialises workflow transitions there).
SQLITE_PATH = VAR_DIR / envstr("PORTAL_SQLITE_NAME", "portal.sqlite3")
DATABASE_URL = envstr("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "CONN_MAX_AGE": envint("DB_CONN_MAX_AGE", 60),
            # Tests use a file too, not shared-cache memory: live-server tests
            # then lock and wait exactly as gunicorn workers do in production.
            "TEST": {"NAME": str(VAR_DIR / "test-portal.sqlite3")},
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA cache_size=-20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------
REDIS_URL = envstr("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": envstr("CACHE_KEY_PREFIX", "portal"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole anonymous public pages, invalidated by publishing (config.pagecache); 0 turns it off.
PUBLIC_PAGE_CACHE_SECONDS = envint("PUBLIC_PAGE_CACHE_SECONDS", 24 * 3600)
# Counts and choices derived from the public content, kept per public version
# (portal.public): never stale, so the time only bounds how long unused ones stay.
PUBLIC_DATA_CACHE_SECONDS = envint("PUBLIC_DATA_CACHE_SECONDS", 24 * 3600)
# Notice views are added up in each worker and written at most this often (disclosure.viewcounts).
VIEW_COUNT_FLUSH_SECONDS = envint("VIEW_COUNT_FLUSH_SECONDS", 30)

# --- Auth and sessions ----------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True

# --- Language and time ----------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [SITE_FILES_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [SITE_FILES_DIR / "static"]
STORAGES = {
    # Attachments are never served by a static server: they go through a view
    # that checks the notice is public (disclosure.views.attachment_download).
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# Attachments (disclosure.uploads): size caps in bytes, image pixel cap, and the
# caps on what a .docx/.xlsx/.ofd (a zip) may unpack to.
ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
IMAGE_MAX_BYTES = envint("IMAGE_MAX_BYTES", 10 * 1024 * 1024)
IMAGE_MAX_PIXELS = envint("IMAGE_MAX_PIXELS", 40_000_000)
ZIP_MAX_UNPACKED_BYTES = envint("ZIP_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
ZIP_MAX_MEMBERS = envint("ZIP_MAX_MEMBERS", 5000)

# Index numbers (索引号): Python format string with {credit_code}, {year} and
# {serial}. The default follows gov.cn: 统一社会信用代码/年份-五位流水号.
INDEX_NUMBER_PATTERN = envstr("INDEX_NUMBER_PATTERN", "{credit_code}/{year}-{serial:05d}")
WORKDAY_COUNT_FROM_NEXT_DAY = envbool("WORKDAY_COUNT_FROM_NEXT_DAY", True)

# Absolute address of the portal, for links in mail.
PORTAL_BASE_URL = envstr("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# 依申请公开. Where the law is unclear (regulation.md marks it UNCONFIRMED) the
# rule is a setting with the documented default.
APPLICATION_FEE_PAUSES_CLOCK = envbool("APPLICATION_FEE_PAUSES_CLOCK", True)
APPLICATION_REMEDIES = envstr(
    "APPLICATION_REMEDIES",
    "如对本答复不服，可以自收到本答复之日起60日内依法申请行政复议，"
    "或者在6个月内依法向人民法院提起行政诉讼。",
)
APPLY_RATE_LIMIT = envint("APPLY_RATE_LIMIT", 5)  # applications per address per hour
TRACK_RATE_LIMIT = envint("TRACK_RATE_LIMIT", 10)  # wrong tracking codes per address per hour

# --- Mail -------------------------------------------------------------------------
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admin", a) for a in envlist("DJANGO_ADMINS")]

# --- Security -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("DJANGO_SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("DJANGO_SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if envbool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
