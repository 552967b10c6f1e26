"""Klaster settings, read from the environment.

Development defaults are safe on a laptop (SQLite under var/, console e-mail, DEBUG off unless
asked for); production sets SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and friends.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from klaster.web.env import default_site_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("KLASTER_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

TESTING = "pytest" in sys.modules or env_bool("KLASTER_TESTING")

DEBUG = env_bool("DEBUG", False)
# Public (it is in the repository): a deploy check refuses it (klaster/portal/checks.py).
DEVELOPMENT_SECRET_KEY = "klaster-development-secret-key-not-for-production-use-0123456789abcdef"
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# A refused form gets a page in the site's layout and the reader's language.
CSRF_FAILURE_VIEW = "klaster.portal.errors.csrf_failure"
# Links in e-mails and iCal; unset, the address `klaster serve --port` was started on.
SITE_URL = default_site_url(os.environ)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_countries",
    "huey.contrib.djhuey",
    "klaster.common",
    "klaster.accounts",
    "klaster.jobs",
    "klaster.imports",
    "klaster.members",
    "klaster.portal",
    "klaster.trackrecord",
    "klaster.partners",
    "klaster.events",
    "klaster.consortia",
    "klaster.marketplace",
    "klaster.calls",
    "klaster.demo",
    "auditlog",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "klaster.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Records who made each change in the audit trail (needs the signed-in user).
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "klaster.web.urls"
WSGI_APPLICATION = "klaster.web.wsgi.application"

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
                "klaster.portal.context_processors.klaster",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL names another (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'klaster.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a background import writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Failed sign-ins allowed per username from one client address within the window (a lock lasts
# the window after the last failure), and per address over all usernames (klaster/accounts/
# ratelimit.py). Every sign-in form, the Django admin's included, goes through this limiter.
LOGIN_RATE_LIMIT_ATTEMPTS = env_int("LOGIN_RATE_LIMIT_ATTEMPTS", 5)
LOGIN_RATE_LIMIT_WINDOW_SECONDS = env_int("LOGIN_RATE_LIMIT_WINDOW_SECONDS", 900)
LOGIN_RATE_LIMIT_ADDRESS_ATTEMPTS = env_int(
    "LOGIN_RATE_LIMIT_ADDRESS_ATTEMPTS", 4 * LOGIN_RATE_LIMIT_ATTEMPTS
)
# Password-reset e-mails sent per e-mail address, and per client address, within the window.
PASSWORD_RESET_RATE_LIMIT_EMAILS = env_int("PASSWORD_RESET_RATE_LIMIT_EMAILS", 3)
PASSWORD_RESET_RATE_LIMIT_ADDRESS_EMAILS = env_int("PASSWORD_RESET_RATE_LIMIT_ADDRESS_EMAILS", 12)
PASSWORD_RESET_RATE_LIMIT_WINDOW_SECONDS = env_int("PASSWORD_RESET_RATE_LIMIT_WINDOW_SECONDS", 3600)
# Reverse proxies in front of the server (0: none). With them, the limiter counts the client
# address from X-Forwarded-For instead of the proxy's own; never set it without a proxy, or any
# client could claim any address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Marketplace: open expressions of interest (not closed, no agreement yet) one user or visitor
# e-mail address may hold, and visitors' expressions accepted per client address per hour.
MARKETPLACE_OPEN_INTERESTS_LIMIT = env_int("MARKETPLACE_OPEN_INTERESTS_LIMIT", 10)
MARKETPLACE_VISITOR_INTERESTS_PER_HOUR = env_int("MARKETPLACE_VISITOR_INTERESTS_PER_HOUR", 5)

# A file cache works across the web server and the task worker on one machine; Redis when
# the deployment is scaled out. It holds live job progress (login counters are in the database).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}
if env_str("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("REDIS_URL"),
    }

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# CORDIS lists Kosovo (XK), which ISO 3166 leaves to user-assigned codes.
COUNTRIES_OVERRIDE = {"XK": _("Kosovo")}
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/pico", BASE_DIR / "node_modules" / "@picocss" / "pico" / "css"),
    ("vendor/cytoscape", BASE_DIR / "node_modules" / "cytoscape" / "dist"),
    ("vendor/swagger-ui", BASE_DIR / "node_modules" / "swagger-ui-dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
if env_str("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Klaster <noreply@klaster.local>")

# Background tasks: huey on SQLite in var/ for one machine, on Redis when REDIS_URL is set,
# so the same task code scales out to worker machines. Tests run tasks immediately.
HUEY = {
    "name": "klaster",
    "immediate": TESTING or env_bool("TASKS_IMMEDIATE", False),
    "results": True,
    "consumer": {"workers": env_int("TASK_WORKERS", 2), "worker_type": "thread"},
}
if env_str("REDIS_URL"):
    HUEY["huey_class"] = "huey.RedisHuey"
    HUEY["url"] = env_str("REDIS_URL")
else:
    HUEY["huey_class"] = "huey.SqliteHuey"
    HUEY["filename"] = str(VAR_DIR / "tasks.sqlite3")

# Production hardening, effective whenever DEBUG is off (check --deploy stays clean).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): pages run only the site's own script files, with no
# inline scripts, on...= attributes or eval (htmx's allowEval is off in base.html). Styles
# also allow 'unsafe-inline': bar charts and the map's size carry their data in style=""
# attributes, and a style cannot run code. Swagger UI (/api/docs) draws its icons as data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
