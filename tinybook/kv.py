"""Redis: the client, every key builder, and the Lua scripts.

Code never builds a Redis key at the call site; it asks a builder here, so the whole
key space of the project can be read in one file. In the embedded profile the client
is fakeredis with Lua behind the same django-redis pool, so these are the production
code paths in both profiles.
"""

import time
import uuid
from pathlib import Path

import redis
from django.conf import settings
from django_redis import get_redis_connection
from django_redis.exceptions import ConnectionInterrupted

# Anything that means "Redis could not answer": callers decide to fail open or closed.
REDIS_ERRORS = (redis.RedisError, ConnectionInterrupted, OSError)

LUA_DIR = Path(__file__).resolve().parent / "lua"

# A cache entry holding this says "deleted, do not refill" (a withdrawn article's reader copy):
# a reader who loaded the object just before it went cannot put it back with SET NX.
TOMBSTONE = b"-"


def client() -> redis.Redis:
    """The raw redis-py client behind the default cache (pooled per process)."""
    return get_redis_connection("default")


def key(*parts) -> str:
    return ":".join([settings.REDIS_KEY_PREFIX, *(str(p) for p in parts)])


class Script:
    """A Lua script from ``tinybook/lua/<name>.lua``, read once at import.

    redis-py's Script runs EVALSHA and falls back to EVAL (loading it) when the
    server does not know the hash yet, e.g. after a Redis restart.
    """

    def __init__(self, name: str):
        self.name = name
        self.source = (LUA_DIR / f"{name}.lua").read_text()
        self._script = None

    def __call__(self, keys=(), args=(), conn=None):
        conn = conn or client()
        if self._script is None:
            self._script = conn.register_script(self.source)
        return self._script(keys=list(keys), args=list(args), client=conn)


# --- cross-cutting keys --------------------------------------------------------------------

def ip_rate_key(ip: str) -> str:
    return key("rl", "ip", ip)


# --- users ---------------------------------------------------------------------------------

def session_key(ssid: str) -> str:
    """One login session's per-request answer: the user id while good, "-" once revoked.
    Absent means "ask the database" (``users.models.LoginSession`` is the truth)."""
    return key("ssid", ssid)


def login_failures_account_key(email: str) -> str:
    """Sorted set of failed logins for one (normalised) email, scored by time in ms."""
    return key("login", "fail", "acct", email)


def login_failures_ip_key(ip: str) -> str:
    return key("login", "fail", "ip", ip)


def sms_code_key(phone: str) -> str:
    """Hash of the live login code for a phone (E.164): code hash and attempts so far."""
    return key("smscode", "code", phone)


def sms_code_resend_key(phone: str) -> str:
    return key("smscode", "resend", phone)


def sms_code_ip_sends_key(ip: str) -> str:
    return key("smscode", "ip", ip)


def sms_code_phone_sends_key(phone: str) -> str:
    return key("smscode", "phone", phone)


def user_profile_key(user_id) -> str:
    """The webook profile object of a user, as JSON."""
    return key("user", user_id, "profile")


# --- sms -----------------------------------------------------------------------------------

def sms_rate_key(provider: str) -> str:
    return key("sms", "rate", provider)


def sms_health_key(provider: str) -> str:
    """Hash of per-second outcome counters ("<sec>:n", "<sec>:e", "<sec>:s")."""
    return key("sms", "health", provider)


def sms_down_key(provider: str) -> str:
    return key("sms", "down", provider)


def sms_probe_key(provider: str) -> str:
    return key("sms", "probe", provider)


def sms_volume_key(provider: str, month: str) -> str:
    return key("sms", "volume", provider, month)


def sms_round_robin_key() -> str:
    return key("sms", "rr")


def sms_dedup_key(digest: str) -> str:
    return key("sms", "dedup", digest)



# --- articles ------------------------------------------------------------------------------

def article_author_first_page_key(author_id: int) -> str:
    """The author's first list page (abstracts, no content), as JSON."""
    return key("art", "author", author_id, "page0")


def article_author_detail_key(article_id: int) -> str:
    """The author's copy of one draft (with content), pre-cached after listing."""
    return key("art", "draft", article_id)


def article_reader_key(article_id: int) -> str:
    """The readers' copy of one live article, or a tombstone after withdrawal."""
    return key("art", "live", article_id)


def image_upload_rate_key(user_id: int) -> str:
    """Sorted set of one user's recent image uploads (score = time in ms): the upload limit."""
    return key("rl", "img", user_id)



# --- interactions --------------------------------------------------------------------------

def counts_key(biz: str, biz_id) -> str:
    """Hash of one object's counts (read_cnt, like_cnt, collect_cnt): always whole or absent."""
    return key("cnt", biz, biz_id)


def read_seen_key(biz: str, biz_id, viewer: str) -> str:
    """Set (NX EX) while a viewer's read of one object is already counted in the window."""
    return key("read", "seen", biz, biz_id, viewer)


def read_stream_key() -> str:
    return key("stream", "reads")


def read_consumer_lease_key(stream: str, group: str) -> str:
    """Held by the one consumer applying ``stream`` for ``group`` (token + expiry)."""
    return key("lease", stream, group)


def like_ranking_key(biz: str) -> str:
    """Sorted set: biz ids scored by their like count."""
    return key("rank", "likes", biz)


def like_ranking_built_key(biz: str) -> str:
    """Set when the ranking was built whole from the counters; absent after Redis lost its keys
    (the set may then hold only the likes since): the next reader rebuilds it."""
    return key("rank", "likes", biz, "built")


def like_ranking_rebuild_lock_key(biz: str) -> str:
    """Held (token, PX) by the one process rebuilding the ranking."""
    return key("rank", "likes", biz, "lock")


def like_ranking_generation_key(biz: str) -> str:
    """Counter bumped when an object leaves the readers: in-process copies of the top-likes
    list made before it are not served again."""
    return key("rank", "likes", biz, "gen")



# --- ranking -------------------------------------------------------------------------------

def hot_list_key() -> str:
    """The computed hot list as JSON, no expiry (the next run replaces it)."""
    return key("hot", "list")


def hot_generation_key() -> str:
    """Bumped with every write of the hot list: processes compare it with their copy."""
    return key("hot", "gen")


def hot_lock_key() -> str:
    """Held (token, PX) by the one worker computing the hot list."""
    return key("hot", "lock")


def hot_load_key() -> str:
    """Hash: node -> "load_per_core:epoch_seconds", for the load-aware choice."""
    return key("hot", "load")


def hot_busy_streak_key() -> str:
    """Consecutive refresh intervals skipped because the node was busy."""
    return key("hot", "busy")


# --- relations -----------------------------------------------------------------------------

def feed_inbox_key(user_id: int) -> str:
    """Sorted set: the ids of articles pushed to a reader's feed, scored by publication time
    (ms), plus the member ``feed_inbox_sentinel()`` marking a built inbox. A cache: absent
    means "rebuild from the database"."""
    return key("feed", "inbox", user_id)


def feed_inbox_sentinel() -> str:
    return "built"


# --- shared mechanisms -----------------------------------------------------------------------

_sliding_window = Script("sliding_window")


def sliding_window_hit(bucket: str, *, limit: int, window: float, conn=None) -> bool:
    """Record one hit in a sliding window; False when ``limit`` hits are already in it.

    A refused hit is not recorded, so a client that keeps knocking is let in again as
    soon as the oldest recorded hit leaves the window.
    """
    now_ms = int(time.time() * 1000)
    member = f"{now_ms}-{uuid.uuid4().hex[:12]}"
    allowed = _sliding_window(
        keys=[bucket], args=[now_ms, int(window * 1000), limit, member], conn=conn
    )
    return bool(allowed)
