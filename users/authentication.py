"""DRF authentication by bearer token, with one Redis round trip for revocation.

``JWTAuthentication`` (protected routes): a missing token is "not authenticated"; a token
that is malformed, expired, of the wrong type, bound to another User-Agent or revoked is a
bare 401. ``OptionalJWTAuthentication`` (public routes): any of those is simply anonymous,
because webook clients send ``Authorization: Bearer null`` when logged out.
``RefreshTokenAuthentication`` accepts only refresh tokens (``/users/refresh_token``).

``request.user`` is a stateless ``TokenUser`` (id from the token) so a request costs no
database query to authenticate; ``request.auth`` is the validated token (``ssid`` claim).
"""

import logging

from django.conf import settings
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.models import TokenUser

from tinybook import kv
from users.tokens import SessionAccessToken, SessionRefreshToken, user_agent_hash

logger = logging.getLogger(__name__)


def bearer_token(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    parts = header.split()
    if len(parts) != 2 or parts[0] != "Bearer" or parts[1] in ("null", "undefined"):
        return None
    return parts[1]


def session_check(ssid: str, *, also_get: str | None = None) -> tuple[bool, bytes | None]:
    """(revoked, value of ``also_get``): the revocation ``EXISTS`` and, when asked, one more
    ``GET`` in the same round trip (a pipeline). Redis unreachable: revoked follows
    JWT_REVOCATION_FAILURE_MODE and the extra value is None."""
    try:
        if also_get is None:
            return bool(kv.client().exists(kv.revoked_ssid_key(ssid))), None
        pipe = kv.client().pipeline(transaction=False)
        pipe.exists(kv.revoked_ssid_key(ssid))
        pipe.get(also_get)
        revoked, value = pipe.execute()
        return bool(revoked), value
    except kv.REDIS_ERRORS:
        fail_open = settings.JWT_REVOCATION_FAILURE_MODE == "open"
        logger.warning("revocation check unavailable (Redis); failing %s", "open" if fail_open else "closed")
        return not fail_open, None


class JWTAuthentication(BaseAuthentication):
    token_class = SessionAccessToken
    www_authenticate_realm = "api"

    def authenticate_header(self, request):
        return f'Bearer realm="{self.www_authenticate_realm}"'

    def authenticate(self, request):
        raw = bearer_token(request)
        if raw is None:
            if request.META.get("HTTP_AUTHORIZATION"):
                raise exceptions.AuthenticationFailed()
            return None
        token = self.validate(raw, request)
        return TokenUser(token), token

    def validate(self, raw: str, request):
        try:
            token = self.token_class(raw)
        except TokenError:
            raise exceptions.AuthenticationFailed() from None
        if "uid" not in token or "ssid" not in token:
            raise exceptions.AuthenticationFailed()
        if token.get("uah") != user_agent_hash(request.META.get("HTTP_USER_AGENT", "")):
            raise exceptions.AuthenticationFailed()
        # A view that reads the user's cached profile (``prefetch_profile``) gets it in the
        # revocation check's round trip: /users/profile costs one Redis round trip, not two.
        view = (getattr(request, "parser_context", None) or {}).get("view")
        prefetch = getattr(view, "prefetch_profile", False)
        revoked, profile = session_check(token["ssid"], also_get=kv.user_profile_key(token["uid"]) if prefetch else None)
        if revoked:
            raise exceptions.AuthenticationFailed()
        if prefetch:
            request.prefetched_profile = profile
        return token


class OptionalJWTAuthentication(JWTAuthentication):
    """Public routes: a usable token identifies the reader, anything else is anonymous."""

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            return None


class RefreshTokenAuthentication(JWTAuthentication):
    token_class = SessionRefreshToken
