"""Settings, read from the environment (12-factor).

Every knob is an environment variable read through the tiny typed helpers below;
nothing secret lives in the repository.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from tsunagu.lib.private_files import create_private, ensure_private_sqlite, private_dir

BASE_DIR = Path(__file__).resolve().parent


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off", "")


def envbool(name: str, default: str) -> bool:
    """A yes/no setting, read strictly: a typo such as `ture` stops start-up."""
    value = os.getenv(name, default).strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"環境変数 {name} の値「{value}」は読めません。1 / true / yes / on（有効）か "
        f"0 / false / no / off（無効）を指定してください。 "
        f"({name}={value!r} is not a yes/no value: use 1/true/yes/on or 0/false/no/off.)"
    )


def envchoice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.getenv(name, default).strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(
            f"環境変数 {name} の値「{value}」は使えません。{' か '.join(choices)} を指定してください。 "
            f"({name}={value!r}: use one of {', '.join(choices)}.)"
        )
    return value


def envint(name: str, default: str) -> int:
    return int(os.getenv(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.getenv("TSUNAGU_DATA_DIR", "var")).resolve()


def _secret_key() -> str:
    """The key from the environment, else one generated once and kept in the data dir."""
    if key := os.getenv("TSUNAGU_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        private_dir(DATA_DIR)
        with os.fdopen(create_private(path), "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(50))
    return path.read_text(encoding="ascii").strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("TSUNAGU_DEBUG", "false")
# Set by `tsunagu start` when the database holds only the demo council: every page says so.
DEMO_MODE = envbool("TSUNAGU_DEMO", "false")
ALLOWED_HOSTS = envlist("TSUNAGU_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("TSUNAGU_CSRF_TRUSTED_ORIGINS", "")
# Behind a TLS-terminating reverse proxy: TSUNAGU_SECURE=1 (docs/deployment.md).
SECURE = envbool("TSUNAGU_SECURE", "false")
if SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # monitoring asks over plain HTTP on the host
    SECURE_HSTS_SECONDS = envint("TSUNAGU_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("TSUNAGU_HSTS_INCLUDE_SUBDOMAINS", "true")
    SECURE_HSTS_PRELOAD = envbool("TSUNAGU_HSTS_PRELOAD", "false")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# Preloading HSTS into browsers is a commitment for the whole domain that a council makes
# itself (TSUNAGU_HSTS_PRELOAD=1), not a default; its deploy-check warning is for that.
SILENCED_SYSTEM_CHECKS = [] if envbool("TSUNAGU_HSTS_PRELOAD", "false") else ["security.W021"]

# The reverse proxy whose X-Forwarded-For/-Proto waitress believes (one address, as
# waitress takes it); from anyone else those headers are dropped. The login lockout
# (axes) then counts per real client address (REMOTE_ADDR, as rewritten by waitress).
TRUSTED_PROXIES = envlist("TSUNAGU_TRUSTED_PROXIES", "")
if len(TRUSTED_PROXIES) > 1:
    raise ImproperlyConfigured(
        "TSUNAGU_TRUSTED_PROXIES には中継サーバー（リバースプロキシ）のアドレスを 1 つだけ"
        "指定してください。 (waitress trusts a single proxy address.)"
    )
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
HEALTHZ_MIN_FREE_MB = envint("TSUNAGU_HEALTHZ_MIN_FREE_MB", "500")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "tsunagu.core",
    "tsunagu.bench",
    "tsunagu.demo",
    "tsunagu.accounts",
    "tsunagu.audit",
    "tsunagu.directory",
    "tsunagu.records",
    "tsunagu.transfer",
    "tsunagu.reports",
    "tsunagu.plans",
    "tsunagu.grants",
    "tsunagu.cases",
    "tsunagu.volunteers",
    "tsunagu.suggest",
    "tsunagu.api",
    # django-ninja: in INSTALLED_APPS, its docs page loads Swagger UI from its own static
    # files (whitenoise), not from a CDN.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tsunagu.accounts.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tsunagu.core.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tsunagu.urls"

# The REST API (docs/api.md): calls per token and minute, and the largest body accepted.
API_RATE_PER_MINUTE = envint("TSUNAGU_API_RATE_PER_MINUTE", "120")
API_MAX_BODY_BYTES = 1024 * 1024
WSGI_APPLICATION = "tsunagu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tsunagu.core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
# SQLite is the embedded default (one office PC): WAL lets readers and one writer
# work at once, and IMMEDIATE transactions take the write lock at BEGIN, so that
# concurrent writers queue on the busy timeout instead of failing mid-transaction
# with "database is locked".
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}
# PostgreSQL keeps a thread's connection for a minute (a new one per request cost a
# quarter of the throughput at 8 clients); health checks drop one the server closed.
DATABASE_URL = os.getenv("DATABASE_URL", f"sqlite:///{DATA_DIR / 'tsunagu.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=envint(
            "TSUNAGU_DB_CONN_MAX_AGE", "60" if DATABASE_URL.startswith("postgres") else "0"
        ),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    # The database holds personal records: mode 0600 before SQLite first creates it.
    ensure_private_sqlite(Path(DATABASES["default"]["NAME"]))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after this many minutes without a request; pages warn before.
SESSION_IDLE_MINUTES = envint("TSUNAGU_SESSION_IDLE_MINUTES", "30")
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# A session is written when it changes, and its expiry pushed forward at most once a
# minute (tsunagu/accounts/middleware.py): an idle session ends 29–30 minutes after its
# last request, and pages do not queue for SQLite's one writer to save it.
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Password guessing: lock a username+address pair after 5 failures for 30 minutes.
AXES_FAILURE_LIMIT = envint("TSUNAGU_LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Language and time ----------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------
STATIC_URL = "static/"
# Served from the installed packages directly, so that an office PC needs no
# collectstatic step; a server may set TSUNAGU_STATIC_ROOT and run collectstatic.
STATIC_ROOT = os.getenv("TSUNAGU_STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# How dates are shown on every page and in messages: 令和8年12月2日 (era, the default) or
# 2026年12月2日 (western). Typed dates are read in either form whatever this says.
TSUNAGU_DATE_STYLE = envchoice("TSUNAGU_DATE_STYLE", "era", ("era", "western"))

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "client_errors": {"()": "tsunagu.core.logfilters.ClientErrorsOnOneLine"},
        "allowed_hosts": {"()": "tsunagu.core.logfilters.NameTheAllowedHostsSetting"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"filters": ["client_errors"]},
        "django.security.DisallowedHost": {"filters": ["allowed_hosts"]},
        # The report book's PDF: WeasyPrint warns of every screen-only rule of the app's
        # stylesheet it skips; a refused URL or a missing image is an error, still logged.
        "weasyprint": {"level": "ERROR"},
    },
    "root": {"handlers": ["console"], "level": os.getenv("TSUNAGU_LOG_LEVEL", "WARNING")},
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): scripts and styles only from our own static files —
# no inline script, no inline style attribute, nothing from another host. A note that
# slipped past the escaping still could not run. Charts are inline SVG without style
# attributes; images may be data: URIs (the favicon, the API viewer's icons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
