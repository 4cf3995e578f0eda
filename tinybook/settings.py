"""TinyBook settings: one module, two profiles.

The profile follows the environment. With no ``DATABASE_URL`` / ``REDIS_URL`` the
project runs *embedded*: SQLite, an in-process Redis (fakeredis with Lua) behind
django-redis, eager Celery, the console SMS provider. Setting them selects the
*services* profile: MariaDB, a real Redis, a real broker. Every other value below is
an ordinary setting with a documented default (docs/settings.md), overridable from
the environment.
"""

from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tinybook.storage import (
    MediaSettingsError,
    local_base_check,
    local_storage,
    public_base_check,
    s3_storage,
)

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# --- Profile -------------------------------------------------------------------------
# The services profile is selected by naming a database or a Redis server.
SERVICES = bool(env.str("DATABASE_URL", default="") or env.str("REDIS_URL", default=""))
PROFILE = "services" if SERVICES else "embedded"

DEBUG = env.bool("TINYBOOK_DEBUG", default=not SERVICES)

# A known development key: fine on a laptop, refused whenever DEBUG is off.
DEFAULT_SECRET_KEY = "insecure-dev-key-do-not-use-in-production-0000000000000000"  # noqa: S105
SECRET_KEY = env.str("TINYBOOK_SECRET_KEY", default=DEFAULT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured(
        "TINYBOOK_SECRET_KEY must be set when DEBUG is off (TINYBOOK_DEBUG=0): "
        "refusing to start with the default development key."
    )

ALLOWED_HOSTS = env.list(
    "TINYBOOK_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"]
)

# --- Applications ----------------------------------------------------------------------
INSTALLED_APPS = [
    "django_prometheus",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "tinybook",
    "users",
    "sms",
    "articles",
    "interactions",
    "ranking",
    "search",
    "payments",
    "accounts",
    "rewards",
    "comments",
    "relations",
    "portal",
]

MIDDLEWARE = [
    # Request id + Prometheus metrics (django-prometheus's) + access log, in one pass; it also
    # resolves the URL once for everything below (docs/performance.md).
    "tinybook.middleware.RequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tinybook.middleware.CorsMiddleware",  # django-cors-headers', cheaper without an Origin
    "tinybook.middleware.IPRateLimitMiddleware",
    "tinybook.middleware.LocaleMiddleware",  # Django's, without the i18n_patterns work we don't use
    "django.middleware.common.CommonMiddleware",
    # Sessions, CSRF, auth, messages, X-Frame-Options: pages only, not the JSON API
    # (tinybook.middleware.PAGE_MIDDLEWARE, Django's own classes in their usual order).
    "tinybook.middleware.PageMiddleware",
]
# Django's checks look for the session, auth, messages, CSRF and X-Frame-Options middleware in
# MIDDLEWARE by name; PageMiddleware runs them for every page (the admin included), and
# tinybook.E002 (tinybook/checks.py) checks that instead.
SILENCED_SYSTEM_CHECKS = ["admin.E408", "admin.E409", "admin.E410", "security.W002", "security.W003"]

ROOT_URLCONF = "tinybook.urls"
WSGI_APPLICATION = "tinybook.wsgi.application"
ASGI_APPLICATION = "tinybook.asgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------------------
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db_url("DATABASE_URL")}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env.str("TINYBOOK_SQLITE_PATH", default=str(BASE_DIR / "db.sqlite3")),
            # Several threads of runserver write at once; wait instead of failing. IMMEDIATE:
            # a transaction takes the write lock when it begins, so one that read first and
            # writes later waits its turn (up to the timeout) instead of failing with
            # "database is locked", which SQLite answers at once to a deferred upgrade.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            # Tests use a file too: SQLite's shared-cache in-memory database answers concurrent
            # writers with "table is locked" instead of waiting, so race tests could not run.
            "TEST": {"NAME": env.str("TINYBOOK_SQLITE_TEST_PATH", default=str(BASE_DIR / ".test-db.sqlite3"))},
        }
    }
# Every database call is bounded (issue 22): a server that is down fails the connect within
# DATABASE_CONNECT_TIMEOUT; one that stops answering (frozen, a network that drops packets)
# fails a read or write within DATABASE_READ_TIMEOUT / DATABASE_WRITE_TIMEOUT; a statement the
# server runs too long (or that waits too long for a row lock) is stopped by the server after
# DATABASE_STATEMENT_TIMEOUT. A request therefore answers code 5 within about connect + read
# timeout, well inside gunicorn's timeout (deploy/gunicorn.conf.py). 0 turns one off: long
# migrations on big tables run with DATABASE_STATEMENT_TIMEOUT=0 DATABASE_READ_TIMEOUT=0.
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", default=3)  # seconds
DATABASE_READ_TIMEOUT = env.int("DATABASE_READ_TIMEOUT", default=10)  # seconds
DATABASE_WRITE_TIMEOUT = env.int("DATABASE_WRITE_TIMEOUT", default=10)  # seconds
DATABASE_STATEMENT_TIMEOUT = env.int("DATABASE_STATEMENT_TIMEOUT", default=8)  # seconds, below the read timeout
if DATABASES["default"]["ENGINE"].endswith("mysql"):
    # Strict mode turns silent truncation into errors (Django's mysql.W002).
    _init = "SET SESSION sql_mode='STRICT_TRANS_TABLES'"
    if DATABASE_STATEMENT_TIMEOUT:
        # innodb_lock_wait_timeout bounds row-lock waits on MySQL and MariaDB; max_statement_time
        # (MariaDB only: the /*M! ... */ comment is run by MariaDB and skipped by MySQL) any statement.
        _init += (f", SESSION innodb_lock_wait_timeout={DATABASE_STATEMENT_TIMEOUT}"
                  f" /*M!100108 , SESSION max_statement_time={DATABASE_STATEMENT_TIMEOUT} */")
    _db_options = {
        "charset": "utf8mb4",
        "init_command": _init,
        # Read committed: get-or-create races resolve on the unique index, not a gap lock.
        "isolation_level": "read committed",
        # Fail fast when the database is down instead of hanging a worker.
        "connect_timeout": DATABASE_CONNECT_TIMEOUT,
    }
    if DATABASE_READ_TIMEOUT:
        _db_options["read_timeout"] = DATABASE_READ_TIMEOUT
    if DATABASE_WRITE_TIMEOUT:
        _db_options["write_timeout"] = DATABASE_WRITE_TIMEOUT
    DATABASES["default"].setdefault("OPTIONS", {}).update(_db_options)
    DATABASES["default"]["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)  # seconds
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A persistent connection is pinged before a request's first query only when it has been idle
# this long (seconds; 0: before every request, Django's own behaviour): tinybook.backends.mysql.
DATABASE_HEALTH_CHECK_IDLE = env.float("DATABASE_HEALTH_CHECK_IDLE", default=1.0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
    DATABASES["default"]["ENGINE"] = "tinybook.backends.mysql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Queries slower than this are logged by the slow-query logger (milliseconds).
SLOW_QUERY_MS = env.int("SLOW_QUERY_MS", default=100)

# --- Redis and caches ------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="redis://embedded.invalid:6379/0")
REDIS_KEY_PREFIX = env.str("REDIS_KEY_PREFIX", default="tb")
# Socket timeouts keep a dead Redis from hanging a request (seconds).
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=0.5)
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=0.5)

_redis_pool_kwargs = {
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "health_check_interval": 30,
}
if not env.str("REDIS_URL", default=""):
    # Embedded profile: fakeredis with Lua, one server per process, reached through
    # the very same django-redis and redis-py code as production.
    from fakeredis import FakeConnection

    _redis_pool_kwargs = {"connection_class": FakeConnection}

CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": REDIS_KEY_PREFIX,
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "CONNECTION_POOL_KWARGS": _redis_pool_kwargs,
        },
    },
    # Per-process memory: the last good hot list and other seconds-long copies.
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "tinybook-local",
    },
}

# django-redis's default, named here: its close() (run after every request that used the cache)
# reads this setting, and an unset setting costs an AttributeError each time it is read.
DJANGO_REDIS_CLOSE_CONNECTION = False

SESSION_ENGINE = "django.contrib.sessions.backends.cache"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=14 * 24 * 3600)  # seconds

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "users.User"
LOGIN_URL = "users:login-page"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_MIN_LENGTH = env.int("PASSWORD_MIN_LENGTH", default=8)
PASSWORD_MAX_LENGTH = env.int("PASSWORD_MAX_LENGTH", default=64)

# Failed-login limits (Redis sliding window).
LOGIN_FAILURES_PER_ACCOUNT = env.int("LOGIN_FAILURES_PER_ACCOUNT", default=5)
LOGIN_FAILURES_PER_IP = env.int("LOGIN_FAILURES_PER_IP", default=30)
LOGIN_FAILURE_WINDOW = env.int("LOGIN_FAILURE_WINDOW", default=15 * 60)  # seconds

# JWT (simplejwt). Lifetimes in seconds.
JWT_ACCESS_LIFETIME = env.int("JWT_ACCESS_LIFETIME", default=30 * 60)
# Verified tokens each process remembers (users.tokens: verifying is a quarter of a light
# authenticated request); expiry is still checked at every use.
JWT_VERIFIED_CACHE_SIZE = env.int("JWT_VERIFIED_CACHE_SIZE", default=4096)
JWT_REFRESH_LIFETIME = env.int("JWT_REFRESH_LIFETIME", default=7 * 24 * 3600)
# What an authenticated request does when Redis cannot say whether its ssid is revoked:
# "closed" answers 401 (safe), "open" lets the request through (available).
JWT_REVOCATION_FAILURE_MODE = env.str("JWT_REVOCATION_FAILURE_MODE", default="closed")
# How long Redis may answer "this login session is good" before the database is asked again
# (seconds). The database is the truth (users.LoginSession); this bounds both the database
# reads (one per active session per period) and how long a revocation whose Redis write failed
# can go unseen.
AUTH_SESSION_CACHE_TTL = env.int("AUTH_SESSION_CACHE_TTL", default=600)
# How often expired login-session records are deleted (seconds; a beat task).
AUTH_SESSION_PURGE_INTERVAL = env.int("AUTH_SESSION_PURGE_INTERVAL", default=3600)
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(seconds=JWT_ACCESS_LIFETIME),
    "REFRESH_TOKEN_LIFETIME": timedelta(seconds=JWT_REFRESH_LIFETIME),
    "ALGORITHM": "HS256",
    "SIGNING_KEY": env.str("JWT_SIGNING_KEY", default=SECRET_KEY),
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_CLAIM": "uid",
    "USER_ID_FIELD": "id",
    "TOKEN_TYPE_CLAIM": "token_type",
    "JTI_CLAIM": "jti",
    "UPDATE_LAST_LOGIN": False,
}

# Profile cache lifetime (seconds).
PROFILE_CACHE_TTL = env.int("PROFILE_CACHE_TTL", default=15 * 60)
# Profile field limits (nickname counted after trimming; the model columns hold at most 20 / 200).
PROFILE_NICKNAME_MAX_LENGTH = env.int("PROFILE_NICKNAME_MAX_LENGTH", default=20)
PROFILE_ABOUT_ME_MAX_LENGTH = env.int("PROFILE_ABOUT_ME_MAX_LENGTH", default=200)
PROFILE_BIRTHDAY_MIN_YEAR = env.int("PROFILE_BIRTHDAY_MIN_YEAR", default=1900)

# Phone numbers without a country code are read in this region.
PHONE_DEFAULT_REGION = env.str("PHONE_DEFAULT_REGION", default="CN")

# SMS login codes.
SMS_CODE_TTL = env.int("SMS_CODE_TTL", default=600)  # seconds a code is valid
SMS_CODE_DIGITS = env.int("SMS_CODE_DIGITS", default=6)  # length of a login code
SMS_CODE_RESEND_INTERVAL = env.int("SMS_CODE_RESEND_INTERVAL", default=60)  # seconds between sends
SMS_CODE_MAX_ATTEMPTS = env.int("SMS_CODE_MAX_ATTEMPTS", default=3)  # verifications per code
SMS_CODE_SENDS_PER_IP_PER_HOUR = env.int("SMS_CODE_SENDS_PER_IP_PER_HOUR", default=20)
SMS_CODE_SENDS_PER_PHONE_PER_DAY = env.int("SMS_CODE_SENDS_PER_PHONE_PER_DAY", default=10)
SMS_LOGIN_TEMPLATE_ID = env.str("SMS_LOGIN_TEMPLATE_ID", default="login_code")

# WeChat QR login.
WECHAT_APP_ID = env.str("WECHAT_APP_ID", default="")
WECHAT_APP_SECRET = env.str("WECHAT_APP_SECRET", default="")
WECHAT_API_BASE = env.str("WECHAT_API_BASE", default="https://api.weixin.qq.com")
WECHAT_QRCONNECT_URL = env.str(
    "WECHAT_QRCONNECT_URL", default="https://open.weixin.qq.com/connect/qrconnect"
)
# Our callback as registered with WeChat; empty: /oauth2/wechat/callback on the request's own
# scheme and host (behind a TLS proxy, set TINYBOOK_BEHIND_TLS_PROXY so the scheme is right).
WECHAT_REDIRECT_URI = env.str("WECHAT_REDIRECT_URI", default="")
WECHAT_STATE_TTL = env.int("WECHAT_STATE_TTL", default=600)  # seconds the state cookie lives
WECHAT_HTTP_TIMEOUT = env.float("WECHAT_HTTP_TIMEOUT", default=5.0)  # seconds

# --- SMS platform -------------------------------------------------------------------------
# Providers in failover order; each is "console", "tencent" or "aliyun".
SMS_PROVIDERS = env.list("SMS_PROVIDERS", default=["console"])
SMS_CONSOLE_OUTBOX_SIZE = env.int("SMS_CONSOLE_OUTBOX_SIZE", default=100)
# Texts the console provider shows per template, JSON {"tpl_id": "text with {0} {1}"}.
SMS_CONSOLE_TEMPLATES = env.json(
    "SMS_CONSOLE_TEMPLATES", default={"login_code": "TinyBook login code: {0}"}
)
# Input limits of one send.
SMS_MAX_NUMBERS_PER_SEND = env.int("SMS_MAX_NUMBERS_PER_SEND", default=200)  # Tencent's own cap
SMS_TEMPLATE_ID_MAX = env.int("SMS_TEMPLATE_ID_MAX", default=64)  # characters
SMS_MAX_ARGS = env.int("SMS_MAX_ARGS", default=16)  # template arguments per send
SMS_ARG_MAX_LENGTH = env.int("SMS_ARG_MAX_LENGTH", default=256)  # characters per argument
SMS_TENCENT_SECRET_ID = env.str("SMS_TENCENT_SECRET_ID", default="")
SMS_TENCENT_SECRET_KEY = env.str("SMS_TENCENT_SECRET_KEY", default="")
SMS_TENCENT_APP_ID = env.str("SMS_TENCENT_APP_ID", default="")
SMS_TENCENT_SIGN_NAME = env.str("SMS_TENCENT_SIGN_NAME", default="")
SMS_TENCENT_REGION = env.str("SMS_TENCENT_REGION", default="ap-guangzhou")
SMS_TENCENT_ENDPOINT = env.str("SMS_TENCENT_ENDPOINT", default="sms.tencentcloudapi.com")
SMS_TENCENT_RATE_LIMIT = env.int("SMS_TENCENT_RATE_LIMIT", default=3000)  # sends per window
SMS_ALIYUN_ACCESS_KEY_ID = env.str("SMS_ALIYUN_ACCESS_KEY_ID", default="")
SMS_ALIYUN_ACCESS_KEY_SECRET = env.str("SMS_ALIYUN_ACCESS_KEY_SECRET", default="")
SMS_ALIYUN_SIGN_NAME = env.str("SMS_ALIYUN_SIGN_NAME", default="")
SMS_ALIYUN_ENDPOINT = env.str("SMS_ALIYUN_ENDPOINT", default="dysmsapi.aliyuncs.com")
SMS_ALIYUN_RATE_LIMIT = env.int("SMS_ALIYUN_RATE_LIMIT", default=1000)  # sends per window
SMS_CONSOLE_RATE_LIMIT = env.int("SMS_CONSOLE_RATE_LIMIT", default=1000)  # sends per window
SMS_RATE_LIMIT_WINDOW = env.float("SMS_RATE_LIMIT_WINDOW", default=1.0)  # seconds
# Redis unreachable while checking the provider rate limit: True treats it as limited.
SMS_RATE_LIMIT_FAIL_CLOSED = env.bool("SMS_RATE_LIMIT_FAIL_CLOSED", default=True)
SMS_PROVIDER_TIMEOUT = env.float("SMS_PROVIDER_TIMEOUT", default=5.0)  # seconds per provider call
# Provider health window.
SMS_HEALTH_WINDOW = env.int("SMS_HEALTH_WINDOW", default=60)  # seconds (whole seconds: per-second buckets)
SMS_HEALTH_MIN_SAMPLES = env.int("SMS_HEALTH_MIN_SAMPLES", default=10)
SMS_HEALTH_MAX_ERROR_RATE = env.float("SMS_HEALTH_MAX_ERROR_RATE", default=0.30)
SMS_HEALTH_MAX_P90 = env.float("SMS_HEALTH_MAX_P90", default=1.0)  # seconds
SMS_HEALTH_PROBE_INTERVAL = env.float("SMS_HEALTH_PROBE_INTERVAL", default=10)  # seconds
# The latency percentile compared with SMS_HEALTH_MAX_P90 (0.9 = p90).
SMS_HEALTH_LATENCY_PERCENTILE = env.float("SMS_HEALTH_LATENCY_PERCENTILE", default=0.9)
# Monthly fee tiers per provider, JSON: {"tencent": [[0, 0.045], [100000, 0.040]], ...}
SMS_FEE_TIERS = env.json("SMS_FEE_TIERS", default={})
# Lifetime of a provider's monthly volume counter in Redis (seconds; longer than a month).
SMS_VOLUME_KEY_TTL = env.int("SMS_VOLUME_KEY_TTL", default=40 * 24 * 3600)
# Our template ids -> vendor template ids, JSON: {"tencent": {"login_code": "1234567"}, "aliyun": {...}}
SMS_TEMPLATE_MAP = env.json("SMS_TEMPLATE_MAP", default={})
# Aliyun templates take named parameters: {"login_code": ["code"]}; unnamed -> p1, p2, ...
SMS_ALIYUN_PARAM_NAMES = env.json("SMS_ALIYUN_PARAM_NAMES", default={"login_code": ["code"]})
# Sync-to-async fallback.
SMS_ASYNC_BACKOFF_BASE = env.float("SMS_ASYNC_BACKOFF_BASE", default=2.0)  # seconds
SMS_ASYNC_BACKOFF_FACTOR = env.float("SMS_ASYNC_BACKOFF_FACTOR", default=2.0)
SMS_ASYNC_BACKOFF_CAP = env.float("SMS_ASYNC_BACKOFF_CAP", default=300.0)  # seconds
SMS_ASYNC_MAX_ATTEMPTS = env.int("SMS_ASYNC_MAX_ATTEMPTS", default=5)
SMS_ASYNC_LEASE = env.int("SMS_ASYNC_LEASE", default=60)  # seconds a claimed row is held
SMS_ASYNC_SWEEP_INTERVAL = env.int("SMS_ASYNC_SWEEP_INTERVAL", default=10)  # seconds
SMS_ASYNC_SWEEP_BATCH = env.int("SMS_ASYNC_SWEEP_BATCH", default=100)  # rows per claim
# One sweep claims batch after batch for at most this long (below the Celery soft time limit).
SMS_ASYNC_SWEEP_TIME_BUDGET = env.float("SMS_ASYNC_SWEEP_TIME_BUDGET", default=30.0)  # seconds
# A claim that finds due rows all held by another sweeper's claim is retried this often, after this delay.
SMS_ASYNC_SWEEP_RETRIES = env.int("SMS_ASYNC_SWEEP_RETRIES", default=3)
SMS_ASYNC_SWEEP_RETRY_DELAY = env.float("SMS_ASYNC_SWEEP_RETRY_DELAY", default=0.05)  # seconds
SMS_DEDUP_WINDOW = env.int("SMS_DEDUP_WINDOW", default=300)  # seconds
# Optional signed template tokens: when on, a send must present a valid token.
SMS_REQUIRE_TEMPLATE_TOKEN = env.bool("SMS_REQUIRE_TEMPLATE_TOKEN", default=False)
SMS_TEMPLATE_TOKEN_MAX_AGE = env.int("SMS_TEMPLATE_TOKEN_MAX_AGE", default=0)  # seconds; 0 = no expiry

# --- Articles -------------------------------------------------------------------------------
ARTICLE_TITLE_MAX = env.int("ARTICLE_TITLE_MAX", default=255)  # characters
ARTICLE_CONTENT_MAX_BYTES = env.int("ARTICLE_CONTENT_MAX_BYTES", default=200 * 1024)
ARTICLE_ABSTRACT_LENGTH = env.int("ARTICLE_ABSTRACT_LENGTH", default=128)  # characters
ARTICLE_LIST_MAX_LIMIT = env.int("ARTICLE_LIST_MAX_LIMIT", default=100)
# Deepest list offset served: OFFSET n reads and throws away n rows.
ARTICLE_LIST_MAX_OFFSET = env.int("ARTICLE_LIST_MAX_OFFSET", default=10_000)
ARTICLE_LIST_CACHE_TTL = env.int("ARTICLE_LIST_CACHE_TTL", default=15 * 60)  # seconds
ARTICLE_DETAIL_CACHE_TTL = env.int("ARTICLE_DETAIL_CACHE_TTL", default=10 * 60)  # seconds
ARTICLE_READER_CACHE_TTL = env.int("ARTICLE_READER_CACHE_TTL", default=10 * 60)  # seconds
ARTICLE_CHECK_BATCH_SIZE = env.int("ARTICLE_CHECK_BATCH_SIZE", default=1000)

# --- Interactions ---------------------------------------------------------------------------
READ_DEDUP_WINDOW = env.int("READ_DEDUP_WINDOW", default=600)  # seconds; 0 counts every open
READ_EVENTS_INLINE = env.bool("READ_EVENTS_INLINE", default=not SERVICES)
READ_EVENTS_STREAM_MAXLEN = env.int("READ_EVENTS_STREAM_MAXLEN", default=1_000_000)
READ_EVENTS_BATCH_SIZE = env.int("READ_EVENTS_BATCH_SIZE", default=100)
READ_EVENTS_BATCH_WAIT_MS = env.int("READ_EVENTS_BATCH_WAIT_MS", default=1000)
# Like records the counters have not taken in, applied per consumer round (docs/interactions.md).
LIKE_COUNTS_BATCH_SIZE = env.int("LIKE_COUNTS_BATCH_SIZE", default=500)
READ_EVENTS_CLAIM_IDLE_MS = env.int("READ_EVENTS_CLAIM_IDLE_MS", default=30_000)
# A consumer idle this long with nothing pending is deleted from the group when a consumer takes over
# (dead processes leave their names behind); far longer than READ_EVENTS_CLAIM_IDLE_MS.
READ_EVENTS_CONSUMER_PRUNE_IDLE_MS = env.int("READ_EVENTS_CONSUMER_PRUNE_IDLE_MS", default=3_600_000)
READ_EVENTS_RETRY_WAIT_MS = env.int("READ_EVENTS_RETRY_WAIT_MS", default=1000)  # after a failed round (DB or Redis away)
COUNTS_CACHE_TTL = env.int("COUNTS_CACHE_TTL", default=15 * 60)  # seconds
LIKE_RANKING_LOCAL_TTL = env.int("LIKE_RANKING_LOCAL_TTL", default=5)  # seconds
LIKE_RANKING_MAX_N = env.int("LIKE_RANKING_MAX_N", default=100)
COLLECTION_NAME_MAX = env.int("COLLECTION_NAME_MAX", default=64)  # characters
COLLECTIONS_PER_USER_MAX = env.int("COLLECTIONS_PER_USER_MAX", default=200)
SEED_DEMO_BATCH_SIZE = env.int("SEED_DEMO_BATCH_SIZE", default=1000)  # rows per bulk insert in seed_demo
# Ranking entries read past withdrawn articles before the top-likes list gives up filling n.
LIKE_RANKING_MAX_SCAN = env.int("LIKE_RANKING_MAX_SCAN", default=1000)
LIKE_RANKING_REBUILD_BATCH_SIZE = env.int("LIKE_RANKING_REBUILD_BATCH_SIZE", default=5000)  # counter rows per batch
# After Redis lost the ranking, one request rebuilds it under a lock held at most this long (seconds).
LIKE_RANKING_REBUILD_LOCK_TTL = env.float("LIKE_RANKING_REBUILD_LOCK_TTL", default=60.0)

# --- Comments (see docs/comments.md) ----------------------------------------------------------
COMMENT_MAX_CHARS = env.int("COMMENT_MAX_CHARS", default=2000)  # characters after trimming
COMMENT_RATE = env.int("COMMENT_RATE", default=10)  # comments per user per minute (0 turns the limit off)
COMMENT_DUPLICATE_WINDOW = env.int("COMMENT_DUPLICATE_WINDOW", default=60)  # seconds; same text refused
# Redis down while admitting a comment: post without the rate and duplicate checks (1) or refuse (0).
COMMENT_RATE_LIMIT_FAIL_OPEN = env.bool("COMMENT_RATE_LIMIT_FAIL_OPEN", default=True)
COMMENT_PAGE_DEFAULT = env.int("COMMENT_PAGE_DEFAULT", default=20)  # /comments/list and /comments/replies
COMMENT_PAGE_MAX = env.int("COMMENT_PAGE_MAX", default=50)
COMMENT_FIRST_REPLIES = env.int("COMMENT_FIRST_REPLIES", default=3)  # replies shown under each root
COMMENT_CACHE_TTL = env.int("COMMENT_CACHE_TTL", default=10 * 60)  # seconds; an article's first page
COMMENT_CHECK_BATCH_SIZE = env.int("COMMENT_CHECK_BATCH_SIZE", default=500)  # counters per batch, check_comments

# --- Search (docs/search.md) ------------------------------------------------------------------
# "auto": SQLite FTS5 on SQLite, Mroonga on MariaDB; or "sqlite", "mroonga", a dotted class path.
SEARCH_BACKEND = env.str("SEARCH_BACKEND", default="auto")
SEARCH_QUERY_MAX_LENGTH = env.int("SEARCH_QUERY_MAX_LENGTH", default=100)  # characters, after trimming
SEARCH_MAX_TERMS = env.int("SEARCH_MAX_TERMS", default=10)  # words of a query used; the rest ignored
SEARCH_SNIPPET_LENGTH = env.int("SEARCH_SNIPPET_LENGTH", default=120)  # characters of a highlight
SEARCH_PAGE_SIZE = env.int("SEARCH_PAGE_SIZE", default=10)  # results per page of /search/results
SEARCH_TITLE_WEIGHT = env.float("SEARCH_TITLE_WEIGHT", default=10.0)  # FTS5 bm25 weight (body: 1)
SEARCH_AUTHOR_WEIGHT = env.float("SEARCH_AUTHOR_WEIGHT", default=5.0)  # FTS5 bm25 weight (body: 1)
SEARCH_REINDEX_BATCH_SIZE = env.int("SEARCH_REINDEX_BATCH_SIZE", default=500)  # documents per batch
SEARCH_REPAIR_INTERVAL = env.int("SEARCH_REPAIR_INTERVAL", default=3600)  # seconds between search_check --fix runs
# Seconds an engine answer (total and ids of one query and page) is reused while the index is
# unchanged (any index write ends them all); 0: ask the engine every time.
SEARCH_CACHE_TTL = env.int("SEARCH_CACHE_TTL", default=60)

# --- Ranking --------------------------------------------------------------------------------
HOT_GRAVITY = env.float("HOT_GRAVITY", default=1.5)
HOT_WINDOW_DAYS = env.int("HOT_WINDOW_DAYS", default=7)
HOT_LIST_SIZE = env.int("HOT_LIST_SIZE", default=100)
HOT_REFRESH_INTERVAL = env.int("HOT_REFRESH_INTERVAL", default=180)  # seconds
HOT_BATCH_SIZE = env.int("HOT_BATCH_SIZE", default=5000)
HOT_LOCAL_TTL = env.int("HOT_LOCAL_TTL", default=10)  # seconds in-process
HOT_LOCK_TTL = env.int("HOT_LOCK_TTL", default=30)  # seconds, renewed while working
HOT_JOB_TIMEOUT = env.int("HOT_JOB_TIMEOUT", default=60)  # seconds before a run is abandoned
HOT_LOAD_AWARE = env.bool("HOT_LOAD_AWARE", default=False)
HOT_LOAD_THRESHOLD = env.float("HOT_LOAD_THRESHOLD", default=0.8)  # load per core
# Cold start: how long a request waits for another process computing the first list
# before it answers with an empty list (seconds).
HOT_COLD_START_WAIT = env.float("HOT_COLD_START_WAIT", default=2.0)
# Consecutive intervals with every node busy after which the load threshold is ignored once.
HOT_LOAD_BUSY_INTERVALS = env.int("HOT_LOAD_BUSY_INTERVALS", default=3)

# --- Payments (see docs/rewards.md) ------------------------------------------------------------
# "dev": a page of this site with Pay/Fail buttons stands in for WeChat Pay (a newcomer walks the
# whole flow on `make run`); "wechat": WeChat Pay Native through the API v3 SDK.
PAYMENT_PROVIDER = env.str("PAYMENT_PROVIDER", default="wechat" if SERVICES else "dev")
# An order unpaid this long after creation is closed and its reward failed (seconds); WeChat is
# told the same deadline (time_expire), so it stops taking payment too.
PAYMENT_TIMEOUT = env.int("PAYMENT_TIMEOUT", default=30 * 60)
# The beat task asks WeChat about an unpaid order this long after creation (the notification
# usually comes first), then at most once per interval (seconds); the task runs every interval.
PAYMENT_SYNC_DELAY = env.int("PAYMENT_SYNC_DELAY", default=60)
PAYMENT_SYNC_INTERVAL = env.int("PAYMENT_SYNC_INTERVAL", default=60)
PAYMENT_SYNC_BATCH = env.int("PAYMENT_SYNC_BATCH", default=100)  # orders asked about per run
# A notification signed more than this far from our clock is refused (seconds): the SDK checks
# no timestamp, and WeChat Pay itself refuses a merchant request 5 minutes off.
PAYMENT_NOTIFY_MAX_SKEW = env.int("PAYMENT_NOTIFY_MAX_SKEW", default=300)
# The outbox relay ("local message table"): a claimed event is held this long before another
# relay may take it (seconds); the sweeper runs every interval and claims a batch at a time.
PAYMENT_OUTBOX_LEASE = env.int("PAYMENT_OUTBOX_LEASE", default=60)
PAYMENT_OUTBOX_SWEEP_INTERVAL = env.int("PAYMENT_OUTBOX_SWEEP_INTERVAL", default=10)
PAYMENT_OUTBOX_BATCH = env.int("PAYMENT_OUTBOX_BATCH", default=100)
# An event whose delivery failed waits a full-jitter backoff, base * 2^(attempt-1) capped (seconds);
# it is retried until acknowledged, never given up.
PAYMENT_OUTBOX_BACKOFF_BASE = env.float("PAYMENT_OUTBOX_BACKOFF_BASE", default=2.0)
PAYMENT_OUTBOX_BACKOFF_CAP = env.float("PAYMENT_OUTBOX_BACKOFF_CAP", default=300.0)
# One sweep claims batch after batch for at most this long (below the Celery soft time limit).
PAYMENT_OUTBOX_SWEEP_TIME_BUDGET = env.float("PAYMENT_OUTBOX_SWEEP_TIME_BUDGET", default=30.0)
# WeChat Pay API v3, public-key mode (docs/rewards.md). The base URL is a setting so tests run the
# real SDK against a local fake server. Keys are read from files at first use.
WECHATPAY_BASE_URL = env.str("WECHATPAY_BASE_URL", default="https://api.mch.weixin.qq.com")
WECHATPAY_MCHID = env.str("WECHATPAY_MCHID", default="")  # merchant id
WECHATPAY_APPID = env.str("WECHATPAY_APPID", default="")
# Where WeChat Pay posts notifications: public https, ending in /pay/callback, no query string.
WECHATPAY_NOTIFY_URL = env.str("WECHATPAY_NOTIFY_URL", default="")
WECHATPAY_PRIVATE_KEY_FILE = env.str("WECHATPAY_PRIVATE_KEY_FILE", default="")  # apiclient_key.pem (PKCS#8)
# The merchant certificate's serial number; named with KEY so Django's error reports hide it.
WECHATPAY_MERCHANT_SERIAL_KEY = env.str("WECHATPAY_MERCHANT_SERIAL_KEY", default="")
WECHATPAY_APIV3_KEY = env.str("WECHATPAY_APIV3_KEY", default="")  # 32 characters
WECHATPAY_PUBLIC_KEY_FILE = env.str("WECHATPAY_PUBLIC_KEY_FILE", default="")  # WeChat Pay public key (PEM)
WECHATPAY_PUBLIC_KEY_ID = env.str("WECHATPAY_PUBLIC_KEY_ID", default="")
# The SDK's default is no timeout at all (seconds: connecting, then each read).
WECHATPAY_CONNECT_TIMEOUT = env.float("WECHATPAY_CONNECT_TIMEOUT", default=3.0)
WECHATPAY_READ_TIMEOUT = env.float("WECHATPAY_READ_TIMEOUT", default=10.0)

# --- Rewards and accounts (see docs/rewards.md) -------------------------------------------------
REWARD_MAX_FEN = env.int("REWARD_MAX_FEN", default=1_000_000)  # largest reward (fen): 10,000 yuan
# The platform's part of each paid reward, a decimal fraction 0..1; the platform's fen are rounded
# down, so the author gets the rest (1 fen at 10 %: the author gets 1, the platform 0).
try:
    REWARD_PLATFORM_SHARE = Decimal(env.str("REWARD_PLATFORM_SHARE", default="0.10"))
except InvalidOperation:
    raise ImproperlyConfigured("REWARD_PLATFORM_SHARE must be a decimal fraction such as 0.10") from None
# How often the reward dialog asks whether the payment arrived (milliseconds).
REWARD_POLL_INTERVAL_MS = env.int("REWARD_POLL_INTERVAL_MS", default=2000)
UI_EARNINGS_ROWS = env.int("UI_EARNINGS_ROWS", default=20)  # rewards listed in the dashboard's Earnings
REWARD_RECONCILE_BATCH = env.int("REWARD_RECONCILE_BATCH", default=1000)  # rewards read per query by reconcile_rewards

# --- Relations and the feed (docs/relations.md) -------------------------------------------------
# An author with at most this many followers has each new article pushed into every follower's
# inbox at publish; above it, the article is pulled when a follower reads the feed.
FEED_PUSH_MAX_FOLLOWERS = env.int("FEED_PUSH_MAX_FOLLOWERS", default=1000)
FEED_INBOX_SIZE = env.int("FEED_INBOX_SIZE", default=500)  # article ids kept per inbox (newest)
FEED_INBOX_TTL = env.int("FEED_INBOX_TTL", default=7 * 24 * 3600)  # seconds an unread inbox is kept
FEED_FANOUT_BATCH_SIZE = env.int("FEED_FANOUT_BATCH_SIZE", default=500)  # inboxes written per Redis call
# Seconds each process keeps the list of authors above FEED_PUSH_MAX_FOLLOWERS (read at every feed read).
FEED_BIG_AUTHORS_TTL = env.int("FEED_BIG_AUTHORS_TTL", default=10)
FEED_DEFAULT_LIMIT = env.int("FEED_DEFAULT_LIMIT", default=10)  # /feed items when no limit is given
UI_FEED_PAGE_SIZE = env.int("UI_FEED_PAGE_SIZE", default=10)  # "Following" items per page (home, /following)
UI_AUTHOR_PAGE_SIZE = env.int("UI_AUTHOR_PAGE_SIZE", default=20)  # articles per author page
UI_FOLLOW_LIST_SIZE = env.int("UI_FOLLOW_LIST_SIZE", default=20)  # people per followers/following page

# --- Browser UI -----------------------------------------------------------------------------
UI_HOME_HOT_COUNT = env.int("UI_HOME_HOT_COUNT", default=10)  # hot-list entries on the home page
UI_HOME_PAGE_SIZE = env.int("UI_HOME_PAGE_SIZE", default=20)  # newest articles per home page
# Deepest home page served (?page beyond it is a 404): each page is an OFFSET query.
UI_HOME_MAX_PAGES = env.int("UI_HOME_MAX_PAGES", default=50)
UI_DASHBOARD_PAGE_SIZE = env.int("UI_DASHBOARD_PAGE_SIZE", default=20)  # articles per dashboard page
UI_CHART_MAX_ARTICLES = env.int("UI_CHART_MAX_ARTICLES", default=10)  # articles in the dashboard chart

# --- API, limits, logging ---------------------------------------------------------------------
# Largest JSON body the API reads (bytes); article content is capped separately.
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES
# Deepest nesting of lists and objects a JSON body may have (webook bodies are flat objects;
# deep nesting only costs stack in every recursive walk of it).
API_MAX_JSON_DEPTH = env.int("API_MAX_JSON_DEPTH", default=32)
# Global per-IP limit: requests per window; 0 turns it off.
IP_RATE_LIMIT = env.int("IP_RATE_LIMIT", default=100)
IP_RATE_LIMIT_WINDOW = env.float("IP_RATE_LIMIT_WINDOW", default=1.0)  # seconds
# Redis unreachable while checking the global limit: serve (True) or refuse with 429.
IP_RATE_LIMIT_FAIL_OPEN = env.bool("IP_RATE_LIMIT_FAIL_OPEN", default=True)
# How many reverse proxies in front of us append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Addresses (or networks) allowed to read /metrics.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1/32", "::1/128"])
# Celery queues whose depth /metrics reports, and how long a scrape waits for the broker.
METRICS_CELERY_QUEUES = env.list("METRICS_CELERY_QUEUES", default=["celery"])
METRICS_BROKER_TIMEOUT = env.float("METRICS_BROKER_TIMEOUT", default=2.0)  # seconds
# Access log: request and response bodies too (redacted, truncated).
ACCESS_LOG_BODIES = env.bool("ACCESS_LOG_BODIES", default=False)
ACCESS_LOG_BODY_MAX = env.int("ACCESS_LOG_BODY_MAX", default=2048)  # bytes
LOG_JSON = env.bool("LOG_JSON", default=SERVICES)
# URL matches remembered per path in each process (tinybook.middleware: webook's paths are matched
# against dozens of patterns otherwise); least recently used first out.
URL_RESOLVE_CACHE_SIZE = env.int("URL_RESOLVE_CACHE_SIZE", default=4096)
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["tinybook.parsers.JSONObjectParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "tinybook.negotiation.JSONOnlyContentNegotiation",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "EXCEPTION_HANDLER": "tinybook.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "TinyBook API",
    "DESCRIPTION": (
        "Wire-compatible with the webook API. Every JSON answer except /users/profile is an "
        "envelope {code, msg, data}: code 0 success, 4 invalid or not allowed (HTTP 200), "
        "5 system error. HTTP 401 means only: login needed or token refused."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for a choice set used by several answers.
    "ENUM_NAME_OVERRIDES": {"RewardStatusEnum": "rewards.api.serializers.REWARD_STATUSES"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tinybook.schema.add_envelope_component",
        # Errors included: the 200 answer's code-4 alternative and every HTTP error (issue 22).
        "tinybook.schema.add_error_answers",
    ],
}

# --- CORS -------------------------------------------------------------------------------------
CORS_ALLOWED_ORIGINS = env.list("TINYBOOK_CORS_ORIGINS", default=["http://localhost:3000"])
CORS_ALLOW_CREDENTIALS = True
CORS_EXPOSE_HEADERS = ["x-jwt-token", "x-refresh-token"]
CORS_PREFLIGHT_MAX_AGE = env.int("CORS_PREFLIGHT_MAX_AGE", default=12 * 3600)  # seconds
# django-cors-headers' default (every path), named here: it is read on every request, and an
# unset setting costs an AttributeError each time it is read.
CORS_URLS_REGEX = r"^.*$"

# --- Security -----------------------------------------------------------------------------------
# Behind TLS in production: docs/deploy.md lists the values `check --deploy` wants.
SECURE_SSL_REDIRECT = env.bool("TINYBOOK_SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("TINYBOOK_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("TINYBOOK_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("TINYBOOK_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("TINYBOOK_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if env.bool("TINYBOOK_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env.list("TINYBOOK_CSRF_TRUSTED_ORIGINS", default=[])
X_FRAME_OPTIONS = "DENY"

# --- Internationalisation ---------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TINYBOOK_TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Tests and `make run` serve straight from the finders, no collectstatic needed.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
WHITENOISE_AUTOREFRESH = DEBUG

# --- Article images: uploads and media storage (docs/ui.md, docs/operations.md) -------------------
# Where uploaded images are stored: "local" (FileSystemStorage under MEDIA_ROOT, served by the site
# itself under MEDIA_PUBLIC_BASE, DEBUG or not) or "s3" (any S3-compatible store through
# django-storages; readers fetch the images from MEDIA_PUBLIC_BASE, the CDN in front of the bucket).
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="s3" if SERVICES else "local")
if MEDIA_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured("MEDIA_STORAGE must be local or s3")
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# The URL base readers get images from; only images under it survive sanitizing in articles.
# local: a path the site serves ("/media/"); s3: an http(s) URL (the CDN or the bucket's own URL).
MEDIA_PUBLIC_BASE = env.str("MEDIA_PUBLIC_BASE", default="/media/" if MEDIA_STORAGE == "local" else "")
S3_ENDPOINT_URL = env.str("S3_ENDPOINT_URL", default="")  # empty: AWS; e.g. https://oss-cn-hangzhou.aliyuncs.com
S3_BUCKET = env.str("S3_BUCKET", default="")
S3_ACCESS_KEY_ID = env.str("S3_ACCESS_KEY_ID", default="")  # empty: boto3's own chain (instance role, ...)
S3_SECRET_ACCESS_KEY = env.str("S3_SECRET_ACCESS_KEY", default="")
S3_REGION = env.str("S3_REGION", default="")
S3_ADDRESSING_STYLE = env.str("S3_ADDRESSING_STYLE", default="path")  # path | virtual | auto
S3_LOCATION = env.str("S3_LOCATION", default="")  # key prefix inside the bucket
if MEDIA_STORAGE == "s3":
    try:
        # Unset (no bucket or no base): uploads answer "not configured" and `check --deploy`
        # says so; a wrong value stops the process here. (An empty MEDIA_URL would read as "/",
        # every path of the site, hence a base under the reserved .invalid domain.)
        MEDIA_URL = public_base_check(MEDIA_PUBLIC_BASE or "https://media-base-unset.invalid/")
        STORAGES["default"] = s3_storage(
            endpoint_url=S3_ENDPOINT_URL, bucket=S3_BUCKET, access_key=S3_ACCESS_KEY_ID,
            secret_key=S3_SECRET_ACCESS_KEY, region=S3_REGION, location=S3_LOCATION,
            addressing_style=S3_ADDRESSING_STYLE, public_base=MEDIA_URL,
        )
    except MediaSettingsError as exc:
        raise ImproperlyConfigured(str(exc)) from None
else:
    try:
        MEDIA_URL = local_base_check(MEDIA_PUBLIC_BASE)
    except MediaSettingsError as exc:
        raise ImproperlyConfigured(str(exc)) from None
    STORAGES["default"] = local_storage(root=MEDIA_ROOT, base_url=MEDIA_URL)
# Upload rules (each one is checked before the image is stored).
UPLOAD_IMAGE_MAX_BYTES = env.int("UPLOAD_IMAGE_MAX_BYTES", default=5 * 1024 * 1024)
# Pixels (width x height, summed over the frames of an animation), checked from the header
# before decoding: a decompression bomb is a small file declaring a huge canvas. 50 M lets a
# 48 MP phone photo through and stays below Pillow's own guard (89 M).
UPLOAD_IMAGE_MAX_PIXELS = env.int("UPLOAD_IMAGE_MAX_PIXELS", default=50_000_000)
UPLOAD_IMAGE_MAX_FRAMES = env.int("UPLOAD_IMAGE_MAX_FRAMES", default=500)  # frames of an animation
# Longest side kept (px): larger pictures are scaled down; readers' screens use no more.
UPLOAD_IMAGE_MAX_SIDE = env.int("UPLOAD_IMAGE_MAX_SIDE", default=2560)
# Bytes of a multipart body beyond the image itself (boundaries, part headers): a body longer
# than UPLOAD_IMAGE_MAX_BYTES plus this is refused from its Content-Length, before it is read.
UPLOAD_MULTIPART_OVERHEAD_BYTES = env.int("UPLOAD_MULTIPART_OVERHEAD_BYTES", default=16 * 1024)
# Uploads per user in a sliding window (Redis); each decode costs up to a second of CPU.
UPLOAD_IMAGE_RATE_LIMIT = env.int("UPLOAD_IMAGE_RATE_LIMIT", default=60)
UPLOAD_IMAGE_RATE_WINDOW = env.int("UPLOAD_IMAGE_RATE_WINDOW", default=3600)  # seconds
# `media_check`: an image no article references is removed once it is older than this (an
# author may upload, then save the article a while later).
MEDIA_CHECK_MIN_AGE = env.int("MEDIA_CHECK_MIN_AGE", default=24 * 3600)  # seconds
MEDIA_CHECK_BATCH_SIZE = env.int("MEDIA_CHECK_BATCH_SIZE", default=1000)  # articles read per query

# --- Celery ---------------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not SERVICES)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)  # seconds
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)  # seconds
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing a task from a request is bounded: a broker that is down or frozen costs a request at
# most about CELERY_BROKER_CONNECTION_TIMEOUT x (1 + CELERY_PUBLISH_MAX_RETRIES), then the caller
# carries on (queued SMS rows wait for the sweeper).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=1.0)  # seconds
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": env.int("CELERY_PUBLISH_MAX_RETRIES", default=1),
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# Periodic tasks are declared by each app in its tasks.py (on_after_finalize), next to the task.
CELERY_BEAT_SCHEDULE = {}

# --- Logging ----------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "tinybook.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        # asctime, levelname, name, request_id, message + the record's extra fields
        "json": {"()": "tinybook.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_JSON else "plain",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Our access log already has one line per request; don't repeat 4xx/5xx here.
        "django.request": {"level": "ERROR"},
        # urllib3's DEBUG lines carry full URLs with query strings (e.g. WeChat's app secret
        # and authorisation code): never below INFO, whatever LOG_LEVEL says.
        "urllib3": {"level": "INFO"},
    },
}
