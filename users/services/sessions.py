"""Login sessions: one ssid per login, its token pair, logout, refresh with reuse detection.

The database keeps what must not be forgotten (``LoginSession``: revoked or not, the one
refresh token that may still be used); Redis keeps the per-request answer, one key per
session (``kv.session_key``): the user id while the session is good, ``-`` once it is not.
An authenticated request reads that key (one round trip, with the cached profile when the
view wants it). A missing key — Redis restarted without persistence, flushed, the key
evicted or its ``AUTH_SESSION_CACHE_TTL`` over — sends that one request to the database,
which answers and writes the key back: a logout survives anything that happens to Redis.
The positive key's lifetime also bounds how long a revocation whose Redis write failed can
go unseen.
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinybook import kv
from tinybook.exceptions import ApplicationError, AuthenticationError
from users.models import LoginSession, User
from users.tokens import SessionRefreshToken, token_pair

logger = logging.getLogger(__name__)

REVOKED = b"-"


def _cache_live(ssid: str, user_id: int, expires_at) -> None:
    seconds = min(settings.AUTH_SESSION_CACHE_TTL, int((expires_at - timezone.now()).total_seconds()))
    if seconds > 0:
        kv.client().set(kv.session_key(ssid), str(user_id), ex=seconds)


def _cache_revoked(ssids: list[str]) -> None:
    """Best effort: the database already says so, and a live key left behind (Redis away)
    expires within AUTH_SESSION_CACHE_TTL."""
    if not ssids:
        return
    try:
        pipe = kv.client().pipeline(transaction=False)
        for ssid in ssids:
            pipe.set(kv.session_key(ssid), REVOKED, ex=settings.JWT_REFRESH_LIFETIME)
        pipe.execute()
    except kv.REDIS_ERRORS as exc:
        logger.warning("revoked sessions not written to Redis (%s): live keys expire within %ss",
                       type(exc).__name__, settings.AUTH_SESSION_CACHE_TTL)


def session_start(*, user_id: int, user_agent: str) -> tuple[str, str]:
    """Open a login session for an active user: a new ssid, recorded; returns (access, refresh)."""
    ssid = uuid.uuid4().hex
    access, refresh, jti = token_pair(uid=user_id, ssid=ssid, user_agent=user_agent)
    expires_at = timezone.now() + timedelta(seconds=settings.JWT_REFRESH_LIFETIME)
    with transaction.atomic():
        # Locks the user row: a deactivation committing meanwhile waits, then revokes this session too.
        if not User.objects.select_for_update().filter(pk=user_id, is_active=True).exists():
            raise ApplicationError(_("this account is disabled"))
        LoginSession.objects.create(ssid=ssid, user_id=user_id, refresh_jti=jti, expires_at=expires_at)
    try:
        _cache_live(ssid, user_id, expires_at)
    except kv.REDIS_ERRORS:
        pass  # the first request reads the database and caches it
    return access, refresh


def _session_from_db(ssid: str) -> int | None:
    """The user id of a good session (not revoked, not expired, user active), else None;
    the answer is cached in Redis either way (best effort)."""
    row = (LoginSession.objects.filter(ssid=ssid)
           .values_list("user_id", "revoked_at", "expires_at", "user__is_active").first())
    live = row is not None and row[1] is None and row[2] > timezone.now() and row[3]
    try:
        if live:
            _cache_live(ssid, row[0], row[2])
        else:
            kv.client().set(kv.session_key(ssid), REVOKED, ex=settings.JWT_REFRESH_LIFETIME)
    except kv.REDIS_ERRORS:
        pass
    return row[0] if live else None


def session_check(*, ssid: str, user_id: int, also_get: str | None = None) -> tuple[bool, bytes | None]:
    """(good, value of ``also_get``): is this login session still good for ``user_id``?

    One Redis round trip: the session key and, when asked, one more key (the cached profile).
    A missing key asks the database. Redis unreachable: JWT_REVOCATION_FAILURE_MODE decides —
    ``closed`` refuses, ``open`` asks the database and lets the request through if that
    cannot answer either.
    """
    try:
        if also_get is None:
            value, extra = kv.client().get(kv.session_key(ssid)), None
        else:  # one MGET: both are plain strings, and a command costs less than a pipeline
            value, extra = kv.client().mget([kv.session_key(ssid), also_get])
    except kv.REDIS_ERRORS:
        if settings.JWT_REVOCATION_FAILURE_MODE != "open":
            logger.warning("session check unavailable (Redis); failing closed")
            return False, None
        logger.warning("session check unavailable (Redis); failing open, asking the database")
        try:
            return _session_from_db(ssid) == user_id, None
        except DatabaseError:
            return True, None
    if value is None:
        try:
            return _session_from_db(ssid) == user_id, extra
        except DatabaseError:
            logger.warning("session check unavailable (Redis lost the key, database away)")
            return settings.JWT_REVOCATION_FAILURE_MODE == "open", extra
    return value == str(user_id).encode(), extra


def _revoke(sessions) -> int:
    """Revoke the sessions of a queryset in the database, then in Redis.

    Redis is told at once, not after the caller's commit: if the caller's transaction rolls
    back, Redis refuses sessions the database still calls good (a user logs in again), never
    the other way round.
    """
    now = timezone.now()
    ssids = list(sessions.filter(revoked_at__isnull=True, expires_at__gt=now).values_list("ssid", flat=True))
    if ssids:
        LoginSession.objects.filter(ssid__in=ssids, revoked_at__isnull=True).update(revoked_at=now)
    _cache_revoked(ssids)
    return len(ssids)


def session_revoke(*, ssid: str) -> None:
    """Log one session out: its tokens are refused from now on."""
    if not _revoke(LoginSession.objects.filter(ssid=ssid)):
        _cache_revoked([ssid])  # already revoked (or gone): make sure Redis says so too


def session_revoke_all(*, user_id: int) -> int:
    """Log out every live session of the user (logout_all, deactivation, deletion); returns how many."""
    return _revoke(LoginSession.objects.filter(user_id=user_id))


def session_refresh(*, refresh: SessionRefreshToken, user_agent: str) -> tuple[str, str]:
    """Rotate both tokens of a session. A refresh token works once: a second use means it
    was stolen, so the whole session is revoked and the caller gets 401."""
    ssid = refresh["ssid"]
    access, new_refresh, jti = token_pair(uid=refresh["uid"], ssid=ssid, user_agent=user_agent)
    # One conditional UPDATE decides: of two uses of one refresh token only one moves the row.
    moved = LoginSession.objects.filter(
        ssid=ssid, user_id=refresh["uid"], refresh_jti=refresh["jti"], revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).update(refresh_jti=jti)
    if not moved:
        session_revoke(ssid=ssid)
        raise AuthenticationError("refresh token reused, revoked or expired")
    return access, new_refresh


def sessions_purge(*, older_than: timedelta = timedelta(0)) -> int:
    """Delete the records of sessions whose tokens expired (they can no longer be presented)."""
    deleted, _ = LoginSession.objects.filter(expires_at__lt=timezone.now() - older_than).delete()
    return deleted
