"""Settings, read from the environment (see README “Settings”).

DATABASE_URL  PostgreSQL URL for production; a SQLite file in the project when unset.
SECRET_KEY    required when DEBUG is off.
DEBUG         "1"/"true" to turn on; off by default.
DEMO_MODE     "1": the local demo of `make run` (DEBUG off, plain HTTP on 127.0.0.1, demo data).
ALLOWED_HOSTS comma-separated host names.
The security settings (HTTPS, HSTS, cookies, proxy, login throttling) are at the end;
`deploy/env.example` lists every variable this file reads.
"""

import importlib.util
import os
from datetime import timedelta
from pathlib import Path

import bootstrap_wrapper
import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


DEBUG = env_bool("DEBUG")
# The local demo of `make run`: the product as its users see it (DEBUG off, Vietnamese error
# pages, static files by WhiteNoise) on plain HTTP at 127.0.0.1, with the demo accounts. Never
# in production: refused with any host but the loopback ones, or behind the proxy.
DEMO_MODE = env_bool("DEMO_MODE")
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEMO_MODE:
    # A key of this clone alone, made once and kept out of git (var/ is ignored).
    key_file = BASE_DIR / "var" / "local_secret_key"
    if not key_file.exists():
        import secrets

        key_file.parent.mkdir(exist_ok=True)
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = key_file.read_text().strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if (DEBUG or DEMO_MODE) and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = LOOPBACK_HOSTS
if DEMO_MODE and (set(ALLOWED_HOSTS) - set(LOOPBACK_HOSTS) or env_bool("BEHIND_PROXY")):
    raise ImproperlyConfigured("DEMO_MODE is the local demo on 127.0.0.1 only, never production.")
# Plain HTTP (runserver) in development and in the local demo; HTTPS everywhere else.
PLAIN_HTTP = DEBUG or DEMO_MODE

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "training_plan",
    "inbox",
    "courses",
    "quotas",
    "budget",
    "needs",
    "commitments",
    "evaluation",
    "reports",
    "versions",
    "demo",
    "axes",
    "rules",
]

# The largest request body (a 5 MB import file and its form); nginx's client_max_body_size is the
# same (deploy/nginx.conf). Form fields alone stay within DATA_UPLOAD_MAX_MEMORY_SIZE (2,5 MB).
MAX_REQUEST_BYTES = 6 * 1024 * 1024

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "training_plan.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "training_plan.accounts.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "training_plan.middleware.ContentSecurityPolicyMiddleware",
    "training_plan.middleware.PrivatePagesMiddleware",
    # Last, as django-axes requires: turns a lockout into the Vietnamese lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "training_plan.urls"
WSGI_APPLICATION = "training_plan.wsgi.application"

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
                "inbox.context_processors.inbox",
            ],
            "builtins": ["training_plan.templatetags.vn"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "training_plan.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Two-step login (training_plan/accounts.py): required of administrators and BTC/SNV accounts
# when on (deploy/env.example); off by default so the demo logins of `make run` stay one step.
REQUIRE_2FA = env_bool("REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "Đào tạo, bồi dưỡng CBCCVC"

# E-mail (notifications, password reset): SMTP when EMAIL_HOST is set; otherwise each mail is
# written as a file under EMAIL_FILE_PATH (var/mail/, README “E-mail”) for the demo to read.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", BASE_DIR / "var" / "mail"))
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", '"Đào tạo, bồi dưỡng CBCCVC" <daotao@localhost>'
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The links in e-mails: the address users open the application at.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "training_plan.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["training_plan.formats"]
# Amounts are formatted explicitly (|money, |number); years and ids stay plain.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap's dist files, from the bootstrap-wrapper package (no CDN, nothing copied).
    ("bootstrap", bootstrap_wrapper.get_bootstrap_dir()),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Background work (Django's task API through the django-tasks backport; the queue is a table of
# the application's database, the worker `manage.py run_worker`; README “Background work”).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The files of finished jobs (exports): outside anything the web server serves, kept this long.
JOB_FILES_DIR = Path(os.environ.get("JOB_FILES_DIR", BASE_DIR / "var" / "jobs"))
JOB_FILES_KEEP_HOURS = env_int("JOB_FILES_KEEP_HOURS", 24)
# A running task whose worker stopped beating this long ago is retried (once), then failed.
TASK_STALE_SECONDS = env_int("TASK_STALE_SECONDS", 600)
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 2)
# An import file of more rows than this is checked by the worker, with a progress bar.
NOMINATION_IMPORT_JOB_ROWS = env_int("NOMINATION_IMPORT_JOB_ROWS", 300)

# Reminders of the daily round (README “Inbox and reminders”), in days.
REMIND_WAITING_DAYS = env_int("REMIND_WAITING_DAYS", 5)
REMIND_RESULTS_DAYS = env_int("REMIND_RESULTS_DAYS", 7)
REMIND_DEADLINE_DAYS = env_int("REMIND_DEADLINE_DAYS", 7)
# When the daily round (reminders, digests, expired files) runs, local time.
DAILY_ROUND_HOUR = env_int("DAILY_ROUND_HOUR", 7)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -----------------------------------------------------------------------------
# Production runs behind nginx, which terminates TLS (deploy/nginx.conf). Every value below can
# be changed from the environment; the defaults with DEBUG off pass `manage.py check --deploy`.

# Sessions: a working day at most, and gone when the browser closes (shared office computers).
# No idle timeout: it would write the session row on every request.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# HTTPS. Off with DEBUG or DEMO_MODE (runserver speaks plain HTTP); on by default in production.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not PLAIN_HTTP)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not PLAIN_HTTP)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if PLAIN_HTTP else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not PLAIN_HTTP)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not PLAIN_HTTP)
# Behind nginx: trust its X-Forwarded-Proto (so Django knows the request came over HTTPS) and
# its X-Real-IP (so login throttling sees the client, not nginx). Only set this when the
# application server is reachable through the proxy alone (gunicorn bound to 127.0.0.1).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False

# Content-Security-Policy (training_plan.middleware): no inline script or style anywhere.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Bootstrap's CSS draws its icons (select arrows, check marks) as data: SVGs.
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Login throttling (django-axes): 10 failed logins for one user name from one address lock that
# pair out; failures count while each comes within AXES_COOLOFF_TIME of the previous one, and
# the lockout lasts AXES_COOLOFF_TIME after the last failure (so 10 failures in 5 minutes lock
# for 15 minutes). Another address, or the right password elsewhere, is not affected.
# Then the permission policy (`rules.py` of each app, README “What each role does”), then
# Django's model permissions for the admin.
AUTHENTICATION_BACKENDS = [
    "training_plan.auth_backends.LoginThrottleBackend",
    "rules.permissions.ObjectPermissionBackend",
    "training_plan.auth_backends.AdminPermissionBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "training_plan.auth_backends.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# axes reads the client address through django-ipware: without ipware installed it ignores this
# order and keys on REMOTE_ADDR, which behind nginx is 127.0.0.1 for every visitor.
if BEHIND_PROXY:
    if importlib.util.find_spec("ipware") is None:
        raise ImproperlyConfigured("BEHIND_PROXY needs django-ipware for login throttling.")
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_REAL_IP", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
