"""Login by WeChat QR code: the authorisation URL, then the callback's state check and login."""

import hmac

from django.conf import settings
from django.utils.translation import gettext as _

from tinybook.exceptions import ApplicationError
from users.integrations import wechat
from users.models import User
from users.services.accounts import user_find_or_create


def wechat_login_configured() -> bool:
    return bool(settings.WECHAT_APP_ID)


def wechat_auth_url(*, state: str, callback_url: str) -> str:
    """WeChat's QR-connect URL; ``callback_url``: our callback as this request reaches us, used
    unless WECHAT_REDIRECT_URI names the registered one."""
    if not wechat_login_configured():
        raise ApplicationError(_("WeChat login is not configured"))
    return wechat.qrconnect_url(state=state, redirect_uri=settings.WECHAT_REDIRECT_URI or callback_url)


def wechat_state_new() -> str:
    return wechat.state_new()


def user_login_wechat(*, code: str, state: str, expected_state: str | None) -> User:
    # Compared as bytes: compare_digest refuses str with non-ASCII characters.
    if not expected_state or not state or not hmac.compare_digest(
        state.encode("utf-8", "surrogatepass"), expected_state.encode("utf-8", "surrogatepass")
    ):
        raise ApplicationError(_("WeChat login expired or was not started here, try again"))
    if not code:
        raise ApplicationError(_("WeChat login failed: no authorisation code"))
    openid, unionid = wechat.code_exchange(code=code)
    user = user_find_or_create(wechat_open_id=openid)
    if unionid and user.wechat_union_id != unionid:
        User.objects.filter(pk=user.pk).update(wechat_union_id=unionid)
    return user
