from django.conf import settings
from django.contrib.auth import login
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from tinybook.api import valid
from tinybook.envelope import ok
from tinybook.exceptions import NotFoundError
from tinybook.negotiation import WebookTextNegotiation
from tinybook.net import client_ip
from tinybook.renderers import MessageTextRenderer
from tinybook.schema import UNAUTHORIZED, enveloped
from users import selectors, services, wechat_state
from users.access import AnonymousAPIView, TokenAPIView
from users.api import serializers as io
from users.authentication import RefreshTokenAuthentication

ACCESS_HEADER = "x-jwt-token"
REFRESH_HEADER = "x-refresh-token"


def with_tokens(response, access: str, refresh: str):
    """Login answers carry the tokens in headers, as webook clients expect."""
    response[ACCESS_HEADER] = access
    response[REFRESH_HEADER] = refresh
    return response


def user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")


# --- sessions ----------------------------------------------------------------------------------

class RefreshTokenView(TokenAPIView):
    """Rotate the token pair: send the refresh token as the bearer token."""

    authentication_classes = [RefreshTokenAuthentication]

    @extend_schema(request=None, responses={200: enveloped("RefreshAnswer"), 401: UNAUTHORIZED}, auth=[])
    def get(self, request):
        access, refresh = services.session_refresh(refresh=request.auth, user_agent=user_agent(request))
        return with_tokens(ok(None, _("token refreshed")), access, refresh)

    @extend_schema(request=None, responses={200: enveloped("RefreshAnswer"), 401: UNAUTHORIZED}, auth=[])
    def post(self, request):
        return self.get(request)


class LogoutView(TokenAPIView):
    @extend_schema(request=None, responses={200: enveloped("LogoutAnswer"), 401: UNAUTHORIZED})
    def get(self, request):
        services.session_revoke(ssid=request.auth["ssid"])
        return with_tokens(ok(None, _("logged out")), "", "")

    @extend_schema(request=None, responses={200: enveloped("LogoutAnswer"), 401: UNAUTHORIZED})
    def post(self, request):
        return self.get(request)


class LogoutAllView(TokenAPIView):
    @extend_schema(request=None, responses={200: enveloped("LogoutAllAnswer"), 401: UNAUTHORIZED})
    def post(self, request):
        services.session_revoke_all(user_id=request.user.id)
        return with_tokens(ok(None, _("logged out everywhere")), "", "")


# --- sign-up and logins --------------------------------------------------------------------------

_LOGIN_ANSWER = {200: enveloped("LoginAnswer")}


class WebookTextAnswer:
    """webook's sign-up and login answer with their message as plain text (``tinybook.renderers``)."""

    renderer_classes = [JSONRenderer, MessageTextRenderer]
    content_negotiation_class = WebookTextNegotiation


_TEXT_ANSWER = OpenApiResponse(
    response=OpenApiTypes.STR, description="the message as text/plain, unless the client accepts JSON alone"
)


class SignupView(WebookTextAnswer, AnonymousAPIView):
    @extend_schema(request=io.SignupInput, responses={(200, "application/json"): enveloped("SignupAnswer"),
                                                      (200, "text/plain"): _TEXT_ANSWER}, auth=[])
    def post(self, request):
        services.user_signup(**valid(io.SignupInput, request.data))
        return ok(None, _("signed up"))


class LoginView(WebookTextAnswer, AnonymousAPIView):
    @extend_schema(request=io.LoginInput, responses={(200, "application/json"): enveloped("LoginAnswer"),
                                                     (200, "text/plain"): _TEXT_ANSWER}, auth=[])
    def post(self, request):
        user = services.user_login_email(**valid(io.LoginInput, request.data), ip=client_ip(request))
        access, refresh = services.session_start(user_id=user.id, user_agent=user_agent(request))
        return with_tokens(ok(None, _("logged in")), access, refresh)


class SmsCodeSendView(AnonymousAPIView):
    @extend_schema(request=io.SmsCodeSendInput, responses={200: enveloped("SmsCodeSendAnswer")}, auth=[])
    def post(self, request):
        sent = services.sms_code_send(**valid(io.SmsCodeSendInput, request.data), ip=client_ip(request))
        # Queued (providers limited or down): say so truthfully, the workers deliver it shortly.
        return ok(None, _("code sent") if sent else _("the code will arrive shortly"))


class SmsLoginView(AnonymousAPIView):
    @extend_schema(request=io.SmsLoginInput, responses=_LOGIN_ANSWER, auth=[])
    def post(self, request):
        user = services.user_login_sms(**valid(io.SmsLoginInput, request.data))
        access, refresh = services.session_start(user_id=user.id, user_agent=user_agent(request))
        return with_tokens(ok(None, _("logged in")), access, refresh)


class WechatAuthUrlView(AnonymousAPIView):
    @extend_schema(responses={200: enveloped("WechatAuthUrlAnswer", serializers.CharField())}, auth=[])
    def get(self, request):
        state = services.wechat_state_new()
        url = services.wechat_auth_url(state=state, callback_url=request.build_absolute_uri(wechat_state.CALLBACK_PATH))
        response = ok(url, _("scan the QR code with WeChat"))
        wechat_state.state_cookie_set(response, state)
        return response


class WechatCallbackView(AnonymousAPIView):
    uses_session = True  # a browser coming back from WeChat is logged into its session (PageMiddleware)

    @extend_schema(responses=_LOGIN_ANSWER, auth=[])
    def get(self, request):
        user = services.user_login_wechat(**valid(io.WechatCallbackQuery, request.query_params),
                                          expected_state=wechat_state.state_cookie_get(request))
        if _browser_navigation(request):
            # WeChat redirected a browser here (login started from our pages): session login.
            login(request._request, user, backend="django.contrib.auth.backends.ModelBackend")
            response = redirect(settings.LOGIN_REDIRECT_URL)
        else:
            access, refresh = services.session_start(user_id=user.id, user_agent=user_agent(request))
            response = with_tokens(ok(None, _("logged in")), access, refresh)
        wechat_state.state_cookie_clear(response)
        return response


def _browser_navigation(request) -> bool:
    """A top-level browser navigation asks for HTML first; API clients ask for JSON."""
    accept = request.META.get("HTTP_ACCEPT", "")
    return accept.startswith("text/html")


# --- profile -------------------------------------------------------------------------------------

class ProfileView(TokenAPIView):
    prefetch_profile = True  # read by JWTAuthentication: the cached profile comes with the revocation check

    @extend_schema(responses={200: io.ProfileOutput, 401: UNAUTHORIZED})
    def get(self, request):
        profile = selectors.user_profile_get(user_id=request.user.id,
                                             cached=getattr(request, "prefetched_profile", None))
        if profile is None:
            raise NotFoundError()
        # webook clients read this bare object, not an envelope.
        return Response(profile)


class ProfileEditView(TokenAPIView):
    @extend_schema(request=io.ProfileEditInput, responses={200: enveloped("ProfileEditAnswer"), 401: UNAUTHORIZED})
    def post(self, request):
        services.user_profile_update(user_id=request.user.id, **valid(io.ProfileEditInput, request.data))
        return ok(None, _("saved"))
