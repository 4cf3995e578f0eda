from django.conf import settings
from django.contrib.auth import login
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from tinybook.envelope import ok
from tinybook.exceptions import NotFoundError
from tinybook.net import client_ip
from tinybook.schema import enveloped
from users import selectors, services
from users.api.serializers import (
    LoginInput,
    ProfileEditInput,
    ProfileOutput,
    SignupInput,
    SmsCodeSendInput,
    SmsLoginInput,
)
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


# --- sign-up and logins --------------------------------------------------------------------------

_LOGIN_ANSWER = {200: enveloped("LoginAnswer")}


def _field(data, *names):
    for name in names:
        if name in data:
            return data[name]
    return None


class SignupView(APIView):
    authentication_classes = []
    permission_classes = []

    @extend_schema(request=SignupInput, responses={200: enveloped("SignupAnswer")}, auth=[])
    def post(self, request):
        d = request.data
        services.user_signup(
            email=d.get("email"),
            password=d.get("password"),
            confirm_password=_field(d, "confirmPassword", "confirm_password"),
        )
        return ok(None, _("signed up"))


class LoginView(APIView):
    authentication_classes = []
    permission_classes = []

    @extend_schema(request=LoginInput, responses=_LOGIN_ANSWER, auth=[])
    def post(self, request):
        user = services.user_login_email(
            email=request.data.get("email"), password=request.data.get("password"), ip=client_ip(request)
        )
        access, refresh = services.session_start(user_id=user.id, user_agent=user_agent(request))
        return with_tokens(ok(None, _("logged in")), access, refresh)


class SmsCodeSendView(APIView):
    authentication_classes = []
    permission_classes = []

    @extend_schema(request=SmsCodeSendInput, responses={200: enveloped("SmsCodeSendAnswer")}, auth=[])
    def post(self, request):
        services.sms_code_send(phone=request.data.get("phone"), ip=client_ip(request))
        return ok(None, _("code sent"))


class SmsLoginView(APIView):
    authentication_classes = []
    permission_classes = []

    @extend_schema(request=SmsLoginInput, responses=_LOGIN_ANSWER, auth=[])
    def post(self, request):
        user = services.user_login_sms(phone=request.data.get("phone"), code=request.data.get("code"))
        access, refresh = services.session_start(user_id=user.id, user_agent=user_agent(request))
        return with_tokens(ok(None, _("logged in")), access, refresh)


WECHAT_STATE_COOKIE = "wechat_state"
WECHAT_STATE_SALT = "users.wechat-state"
WECHAT_CALLBACK_PATH = "/oauth2/wechat/callback"


class WechatAuthUrlView(APIView):
    authentication_classes = []
    permission_classes = []

    @extend_schema(responses={200: enveloped("WechatAuthUrlAnswer", serializers.CharField())}, auth=[])
    def get(self, request):
        state = services.wechat_state_new()
        response = ok(services.wechat_auth_url(state=state), _("scan the QR code with WeChat"))
        set_wechat_state_cookie(response, state)
        return response


def set_wechat_state_cookie(response, state: str) -> None:
    response.set_signed_cookie(
        WECHAT_STATE_COOKIE,
        state,
        salt=WECHAT_STATE_SALT,
        max_age=settings.WECHAT_STATE_TTL,
        path=WECHAT_CALLBACK_PATH,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def wechat_state_from_cookie(request) -> str | None:
    return request.get_signed_cookie(
        WECHAT_STATE_COOKIE, default=None, salt=WECHAT_STATE_SALT, max_age=settings.WECHAT_STATE_TTL
    )


class WechatCallbackView(APIView):
    authentication_classes = []
    permission_classes = []

    @extend_schema(responses=_LOGIN_ANSWER, auth=[])
    def get(self, request):
        user = services.user_login_wechat(
            code=request.query_params.get("code"),
            state=request.query_params.get("state"),
            expected_state=wechat_state_from_cookie(request),
        )
        if _browser_navigation(request):
            # WeChat redirected a browser here (login started from our pages): session login.
            login(request._request, user, backend="django.contrib.auth.backends.ModelBackend")
            response = redirect(settings.LOGIN_REDIRECT_URL)
        else:
            access, refresh = services.session_start(user_id=user.id, user_agent=user_agent(request))
            response = with_tokens(ok(None, _("logged in")), access, refresh)
        response.delete_cookie(WECHAT_STATE_COOKIE, path=WECHAT_CALLBACK_PATH)
        return response


def _browser_navigation(request) -> bool:
    """A top-level browser navigation asks for HTML first; API clients ask for JSON."""
    accept = request.META.get("HTTP_ACCEPT", "")
    return accept.startswith("text/html")


# --- profile -------------------------------------------------------------------------------------

class ProfileView(AuthenticatedAPIView):
    prefetch_profile = True  # read by JWTAuthentication: the cached profile comes with the revocation check

    @extend_schema(responses={200: ProfileOutput, 401: _UNAUTHORIZED})
    def get(self, request):
        profile = selectors.user_profile_get(user_id=request.user.id,
                                             cached=getattr(request, "prefetched_profile", None))
        if profile is None:
            raise NotFoundError()
        # webook clients read this bare object, not an envelope.
        return Response(profile)


class ProfileEditView(AuthenticatedAPIView):
    @extend_schema(request=ProfileEditInput, responses={200: enveloped("ProfileEditAnswer"), 401: _UNAUTHORIZED})
    def post(self, request):
        d = request.data
        fields = {
            name: d[key]
            for key, name in (("nickname", "nickname"), ("birthday", "birthday"), ("aboutMe", "about_me"), ("about_me", "about_me"))
            if key in d
        }
        services.user_profile_update(user_id=request.user.id, **fields)
        return ok(None, _("saved"))
