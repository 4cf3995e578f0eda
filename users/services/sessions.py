"""Login sessions: one ssid per login, its token pair, logout, refresh with reuse detection."""

import time
import uuid

from django.conf import settings

from tinybook import kv
from tinybook.exceptions import AuthenticationError, DependencyError
from users.tokens import SessionRefreshToken, token_pair

_revoke_sessions = kv.Script("revoke_sessions")


def session_start(*, user_id: int, user_agent: str) -> tuple[str, str]:
    """Open a login session: a new ssid, registered for logout_all; returns (access, refresh)."""
    ssid = uuid.uuid4().hex
    lifetime = settings.JWT_REFRESH_LIFETIME
    now = time.time()
    sessions = kv.user_sessions_key(user_id)
    try:
        pipe = kv.client().pipeline(transaction=True)
        pipe.zremrangebyscore(sessions, "-inf", now)
        pipe.zadd(sessions, {ssid: now + lifetime})
        pipe.expire(sessions, lifetime)
        pipe.execute()
    except kv.REDIS_ERRORS:
        # Without the registry, logout_all could not reach this session: refuse to open it.
        raise DependencyError() from None
    return token_pair(uid=user_id, ssid=ssid, user_agent=user_agent)


def session_revoke(*, ssid: str) -> None:
    """Log one session out: its tokens are refused from now on (for the refresh lifetime)."""
    kv.client().set(kv.revoked_ssid_key(ssid), "1", ex=settings.JWT_REFRESH_LIFETIME)


def session_revoke_all(*, user_id: int) -> int:
    """Log out every live session of the user; returns how many were revoked."""
    return int(
        _revoke_sessions(
            keys=[kv.user_sessions_key(user_id)],
            args=[int(time.time()), kv.revoked_ssid_key(""), settings.JWT_REFRESH_LIFETIME],
        )
    )


def session_refresh(*, refresh: SessionRefreshToken, user_agent: str) -> tuple[str, str]:
    """Rotate both tokens of a session. A refresh token works once: a second use means it
    was stolen, so the whole session is revoked and the caller gets 401."""
    remaining = max(1, int(refresh["exp"] - time.time()))
    first_use = kv.client().set(kv.used_refresh_key(refresh["jti"]), "1", nx=True, ex=remaining)
    if not first_use:
        session_revoke(ssid=refresh["ssid"])
        raise AuthenticationError("refresh token reused")
    return token_pair(uid=refresh["uid"], ssid=refresh["ssid"], user_agent=user_agent)
