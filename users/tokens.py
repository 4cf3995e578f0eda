"""Access and refresh tokens (simplejwt) bound to a login session (ssid) and a User-Agent.

Both carry ``uid``, ``ssid`` (a new UUID per login), ``uah`` (a hash of the User-Agent) and
a ``token_type`` claim, so an access token is refused where a refresh token is expected and
the other way round. Lifetimes are settings (JWT_ACCESS_LIFETIME, JWT_REFRESH_LIFETIME).

``token_read`` is the only way a presented token is read: a token signed with our key but
carrying claims of the wrong type or out of range (``uid`` a string, a list or 1.5; ``exp``
1e30) is refused like a forged one, never half-trusted.
"""

import functools
import hashlib
import math
import re
from datetime import timedelta

from django.conf import settings
from django.core.signals import setting_changed
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import Token
from rest_framework_simplejwt.utils import aware_utcnow

from tinybook.fields import MAX_ID

_HEX32 = re.compile(r"[0-9a-f]{32}")



class TokenRefused(Exception):
    """The token is not one of ours, or not good (any reason: callers answer 401)."""


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


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_time(value) -> bool:
    # Epoch seconds a datetime can hold (year < 10000); simplejwt would raise on more.
    return (_is_int(value) or isinstance(value, float)) and math.isfinite(value) and 0 <= value < 253402300800


def token_read(cls: type[Token], raw: str) -> Token:
    """The verified token of type ``cls`` (signature, expiry, type, claims); ``TokenRefused`` otherwise.

    The token is shared with every other request presenting the same string: read it, never
    change it."""
    token = _verified(cls, raw)
    try:
        token.check_exp(current_time=aware_utcnow())  # it may have expired since it was remembered
    except TokenError:
        raise TokenRefused() from None
    return token


@functools.lru_cache(maxsize=settings.JWT_VERIFIED_CACHE_SIZE)
def _verified(cls: type[Token], raw: str) -> Token:
    """Decoding and verifying a token (base64, JSON, the HMAC, simplejwt's and our claim checks)
    was a quarter of a ``/users/profile`` request; a client presents the same access token on
    every call until it expires. What a string verifies to stays true while the signing key
    stays, except its expiry, which ``token_read`` checks at every use. A refused token raises
    and is not remembered."""
    try:
        token = cls(raw)
    except (TokenError, OverflowError, ValueError, TypeError, OSError):
        # OverflowError/ValueError/OSError: an exp or iat no datetime can hold (simplejwt reads them).
        raise TokenRefused() from None
    claims = token.payload
    uid, ssid = claims.get("uid"), claims.get("ssid")
    if not (_is_int(uid) and 1 <= uid <= MAX_ID):
        raise TokenRefused()
    if not (isinstance(ssid, str) and _HEX32.fullmatch(ssid)):
        raise TokenRefused()
    if not (isinstance(claims.get("uah"), str) and _HEX32.fullmatch(claims["uah"])):
        raise TokenRefused()
    if not (_is_time(claims.get("exp")) and _is_time(claims.get("iat", 0))):
        raise TokenRefused()
    if not isinstance(claims.get("jti"), str) or not 1 <= len(claims["jti"]) <= 64:
        raise TokenRefused()
    return token


def _forget_verified(*, setting, **kwargs):
    if setting in ("SECRET_KEY", "SIMPLE_JWT", "JWT_ACCESS_LIFETIME", "JWT_REFRESH_LIFETIME"):
        _verified.cache_clear()


setting_changed.connect(_forget_verified)


def _build(cls, *, uid: int, ssid: str, user_agent: str) -> Token:
    token = cls()
    token["uid"] = uid
    token["ssid"] = ssid
    token["uah"] = user_agent_hash(user_agent)
    return token


def token_pair(*, uid: int, ssid: str, user_agent: str) -> tuple[str, str, str]:
    """A fresh (access, refresh, refresh jti) for one login session."""
    access = _build(SessionAccessToken, uid=uid, ssid=ssid, user_agent=user_agent)
    refresh = _build(SessionRefreshToken, uid=uid, ssid=ssid, user_agent=user_agent)
    return str(access), str(refresh), refresh["jti"]
