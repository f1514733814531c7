"""Settings for the township disclosure portal.

Every setting that differs between a laptop and a county server comes from the
environment (see `.env.example` and README.md). With nothing set, the portal runs
embedded: SQLite in WAL mode under `var/`, local-memory cache, mail to the console.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from django.core.exceptions import ImproperlyConfigured

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


_CSP_SOURCE = re.compile(
    r"'self'|(?:https?://)?(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::(?:\d+|\*))?"
)


def frame_ancestors(origins: list[str]) -> list[str]:
    """CSP host sources only: a stray ';' or space would add directives to the policy."""
    for origin in origins:
        if not _CSP_SOURCE.fullmatch(origin.lower()):
            raise ImproperlyConfigured(f"PORTAL_FRAME_ANCESTORS: not a host source: {origin!r}")
    return origins


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
    # Before everything: each log line and the 500 page name the request (config.request_id).
    "config.request_id.RequestIdMiddleware",
    # Then: an oversize body is refused before anything below reads it (config.limits).
    "config.limits.RequestBodyLimitMiddleware",
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
    # Below X-Frame-Options and CSP: the framing policy speaks to them, and the 400 page
    # for unreadable input gets their headers.
    "config.middleware.FramingMiddleware",
    # The 413 page, with the headers above, before the first reader of the body below.
    "config.limits.RequestTooLargePageMiddleware",
    "config.middleware.UnreadableInputMiddleware",
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
            # {% request_id %} for the 500 page, which is rendered without a context.
            "libraries": {"request_id": "config.request_id"},
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
# Rendered fragments and public data are kept per script prefix: links carry it
# (config.cache_keys).
CACHES["default"]["KEY_FUNCTION"] = "config.cache_keys.make_key"

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
# Mounted under a path of another site (a township channel inside the county's portal)
# when the proxy does not pass SCRIPT_NAME: e.g. "/county/qinglan/". Empty: as the server says.
FORCE_SCRIPT_NAME = envstr("DJANGO_FORCE_SCRIPT_NAME") or None
# A path inside the portal: under SCRIPT_NAME / FORCE_SCRIPT_NAME each page links it below
# the mount point (portal.static_storage). A full URL (a CDN) is used as it is.
STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [SITE_FILES_DIR / "static"]
STORAGES = {
    # Attachments are never served by a static server: they go through a view
    # that checks the notice is public (disclosure.views.attachment_download).
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "portal.static_storage.PrefixedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "portal.static_storage.PrefixedStaticFilesStorage"}
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

# Request bodies (config.limits): over its cap a body is refused with 413 before it is
# read or spooled to disk. The proxy in front should refuse first (client_max_body_size).
# - Everyone: what the public forms without a file need (an application, feedback).
REQUEST_BODY_MAX_BYTES = envint("REQUEST_BODY_MAX_BYTES", 1024 * 1024)
# - Logged-in staff, and the public forms that take a file (URL names): one attachment at
#   its cap plus the other fields, which Django caps at DATA_UPLOAD_MAX_MEMORY_SIZE.
REQUEST_BODY_OVERHEAD_BYTES = envint("REQUEST_BODY_OVERHEAD_BYTES", 2_621_440)
UPLOAD_REQUEST_BODY_MAX_BYTES = envint(
    "UPLOAD_REQUEST_BODY_MAX_BYTES",
    max(ATTACHMENT_MAX_BYTES, IMAGE_MAX_BYTES) + REQUEST_BODY_OVERHEAD_BYTES,
)
PUBLIC_UPLOAD_URL_NAMES = ["record-correction"]
# The first handler stops a file at its cap (plus one 64 KB chunk at most on disk).
FILE_UPLOAD_HANDLERS = [
    "config.limits.UploadCapHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Client addresses (portal.addresses.client_address): the header naming the client
# is believed only from these proxies (IPs or CIDRs, e.g. "10.0.0.5,10.8.0.0/16"). Empty
# (the default): never, every client is its REMOTE_ADDR. PORTAL_CLIENT_IP_HEADER is the
# header the proxy itself sets: "X-Forwarded-For" (its rightmost address not one of
# these proxies is the client) or "X-Real-IP".
PORTAL_TRUSTED_PROXIES = envlist("PORTAL_TRUSTED_PROXIES")
PORTAL_CLIENT_IP_HEADER = envstr("PORTAL_CLIENT_IP_HEADER", "X-Forwarded-For")

# Index numbers (索引号): Python format string with {credit_code}, {year} and
# {serial}. The default follows gov.cn: 统一社会信用代码/年份-五位流水号.
INDEX_NUMBER_PATTERN = envstr("INDEX_NUMBER_PATTERN", "{credit_code}/{year}-{serial:05d}")
WORKDAY_COUNT_FROM_NEXT_DAY = envbool("WORKDAY_COUNT_FROM_NEXT_DAY", True)
# 公示 (regulation.md §7 item 34): the posting period in working days where no catalog node
# sets one (empty: every node must), and what the page of an ended 公示 keeps: "summary"
# (title, organisation, dates) or "withdrawn" (gone, 410). Each node may say otherwise.
POSTING_WORKING_DAYS = envint("POSTING_WORKING_DAYS", 7) or None
POSTING_AFTER_END = envstr("POSTING_AFTER_END", "summary")

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
# Art. 44 leaves "several applicants" to the organ: from this many different applicants
# asking for the same information, the office is told to consider proactive disclosure.
APPLICATION_PROACTIVE_APPLICANTS = envint("APPLICATION_PROACTIVE_APPLICANTS", 3)

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
# Sites allowed to show the public pages in a frame (a county portal embedding this
# township's channel), as CSP sources: "https://www.example.gov.cn", "https://*.example.cn".
# Empty (the default): no site may, as X-Frame-Options DENY says. When set, public pages
# send frame-ancestors with these and no X-Frame-Options; /admin/ stays DENY
# (config.middleware.FramingMiddleware).
PORTAL_FRAME_ANCESTORS = frame_ancestors(envlist("PORTAL_FRAME_ANCESTORS"))
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("DJANGO_SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("DJANGO_SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if envbool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Under HTTPS the cookies carry the __Host- prefix (ASVS 3.3.1): a browser then takes them
# only Secure, for path / and without Domain, so no sibling (sub)domain can set or shadow
# the session or the CSRF token. Over plain http (DEBUG, the tests) a browser refuses
# __Host- cookies altogether, so the plain names stay there.
if SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Applicant data at rest (portal.crypto) ------------------------------------------


def _local_key(name: str, make) -> str:
    # As _local_secret_key: one key kept under var/ for a laptop and the tests, made once;
    # linked into place, so two processes starting together cannot each keep their own
    # (rows written under a key that was then lost would never decrypt).
    path = VAR_DIR / name
    if not path.exists():
        spare = VAR_DIR / f".{name}.{os.getpid()}"
        spare.write_text(make())
        spare.chmod(0o600)
        try:
            os.link(spare, path)
        except FileExistsError:
            pass
        finally:
            spare.unlink()
    return path.read_text().strip()


# Applicant ID and phone numbers are encrypted in the database with PORTAL_DATA_KEY (a
# Fernet key). To change it: the new key here, the old one first in
# PORTAL_DATA_KEY_FALLBACKS (still read), `manage.py rotate_data_keys`, then drop the old.
# Unset: a local key under var/, and `check --deploy` fails (portal.E103).
PORTAL_DATA_KEY = envsecret("PORTAL_DATA_KEY") or _local_key(
    "data_key", lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
)
PORTAL_DATA_KEY_FALLBACKS = envlist("PORTAL_DATA_KEY_FALLBACKS")
# The keyed hash (HMAC-SHA256) equal ID numbers are found by (the repeat hint, the fee
# count): its own key. Changed: run `rotate_data_keys` (the hashes are recomputed).
PORTAL_LOOKUP_KEY = envsecret("PORTAL_LOOKUP_KEY") or _local_key(
    "lookup_key", lambda: secrets.token_urlsafe(48)
)

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
    # Each line names the request it belongs to (config.request_id; "-" outside one).
    "filters": {"request_id": {"()": "config.request_id.RequestIdFilter"}},
    "formatters": {
        "portal": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "portal",
        }
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
