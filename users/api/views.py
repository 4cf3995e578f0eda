from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from tinybook.envelope import ok
from tinybook.schema import enveloped
from users import services
from users.authentication import JWTAuthentication, RefreshTokenAuthentication

ACCESS_HEADER = "x-jwt-token"
REFRESH_HEADER = "x-refresh-token"


def with_tokens(response, access: str, refresh: str):
    """Login answers carry the tokens in headers, as webook clients expect."""
    response[ACCESS_HEADER] = access
    response[REFRESH_HEADER] = refresh
    return response


def user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")


class AuthenticatedAPIView(APIView):
    authentication_classes = [JWTAuthentication]
    permission_classes = [IsAuthenticated]


_UNAUTHORIZED = OpenApiResponse(description="token missing, malformed, expired, revoked or of the wrong type")


class RefreshTokenView(APIView):
    """Rotate the token pair: send the refresh token as the bearer token."""

    authentication_classes = [RefreshTokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: enveloped("RefreshAnswer"), 401: _UNAUTHORIZED}, auth=[])
    def get(self, request):
        access, refresh = services.session_refresh(refresh=request.auth, user_agent=user_agent(request))
        return with_tokens(ok(None, _("token refreshed")), access, refresh)

    @extend_schema(request=None, responses={200: enveloped("RefreshAnswer"), 401: _UNAUTHORIZED}, auth=[])
    def post(self, request):
        return self.get(request)


class LogoutView(AuthenticatedAPIView):
    @extend_schema(request=None, responses={200: enveloped("LogoutAnswer"), 401: _UNAUTHORIZED})
    def get(self, request):
        services.session_revoke(ssid=request.auth["ssid"])
        return with_tokens(ok(None, _("logged out")), "", "")

    @extend_schema(request=None, responses={200: enveloped("LogoutAnswer"), 401: _UNAUTHORIZED})
    def post(self, request):
        return self.get(request)


class LogoutAllView(AuthenticatedAPIView):
    @extend_schema(request=None, responses={200: enveloped("LogoutAllAnswer"), 401: _UNAUTHORIZED})
    def post(self, request):
        services.session_revoke_all(user_id=request.user.id)
        return with_tokens(ok(None, _("logged out everywhere")), "", "")
