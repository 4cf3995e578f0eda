"""DRF authentication by bearer token, with one Redis round trip for the session check.

``JWTAuthentication`` (protected routes): a missing token is "not authenticated"; a token
that is malformed, expired, of the wrong type, with claims out of shape
(``users.tokens.token_read``), bound to another User-Agent, or of a session that is no
longer good (logged out, its user deactivated or deleted:
``users.services.sessions.session_check``) is a bare 401. ``OptionalJWTAuthentication``
(public routes): any of those is simply anonymous, because webook clients send
``Authorization: Bearer null`` when logged out.
``RefreshTokenAuthentication`` accepts only refresh tokens (``/users/refresh_token``).

``request.user`` is a stateless ``TokenUser`` (id from the token) so a request costs no
database query to authenticate; ``request.auth`` is the validated token (``ssid`` claim).
"""

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework_simplejwt.models import TokenUser

from tinybook import kv
from users.services.sessions import session_check
from users.tokens import SessionAccessToken, SessionRefreshToken, TokenRefused, token_read, user_agent_hash


def bearer_token(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    parts = header.split()
    if len(parts) != 2 or parts[0] != "Bearer" or parts[1] in ("null", "undefined"):
        return None
    return parts[1]


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
            token = token_read(self.token_class, raw)
        except TokenRefused:
            raise exceptions.AuthenticationFailed() from None
        if token["uah"] != user_agent_hash(request.META.get("HTTP_USER_AGENT", "")):
            raise exceptions.AuthenticationFailed()
        # A view that reads the user's cached profile (``prefetch_profile``) gets it in the
        # revocation check's round trip: /users/profile costs one Redis round trip, not two.
        view = (getattr(request, "parser_context", None) or {}).get("view")
        prefetch = getattr(view, "prefetch_profile", False)
        good, profile = session_check(ssid=token["ssid"], user_id=token["uid"],
                                      also_get=kv.user_profile_key(token["uid"]) if prefetch else None)
        if not good:
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
