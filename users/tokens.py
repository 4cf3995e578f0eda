"""Access and refresh tokens (simplejwt) bound to a login session (ssid) and a User-Agent.

Both carry ``uid``, ``ssid`` (a new UUID per login), ``uah`` (a hash of the User-Agent) and
a ``token_type`` claim, so an access token is refused where a refresh token is expected and
the other way round. Lifetimes are settings (JWT_ACCESS_LIFETIME, JWT_REFRESH_LIFETIME).
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from rest_framework_simplejwt.tokens import Token


def user_agent_hash(user_agent: str) -> str:
    return hashlib.sha256((user_agent or "").encode("utf-8", "replace")).hexdigest()[:32]


class SessionAccessToken(Token):
    token_type = "access"  # noqa: S105 (a claim value, not a secret)

    @property
    def lifetime(self):
        return timedelta(seconds=settings.JWT_ACCESS_LIFETIME)


class SessionRefreshToken(Token):
    token_type = "refresh"  # noqa: S105 (a claim value, not a secret)

    @property
    def lifetime(self):
        return timedelta(seconds=settings.JWT_REFRESH_LIFETIME)


def _build(cls, *, uid: int, ssid: str, user_agent: str) -> Token:
    token = cls()
    token["uid"] = uid
    token["ssid"] = ssid
    token["uah"] = user_agent_hash(user_agent)
    return token


def token_pair(*, uid: int, ssid: str, user_agent: str) -> tuple[str, str]:
    """A fresh (access, refresh) pair for one login session."""
    access = _build(SessionAccessToken, uid=uid, ssid=ssid, user_agent=user_agent)
    refresh = _build(SessionRefreshToken, uid=uid, ssid=ssid, user_agent=user_agent)
    return str(access), str(refresh)
