"""The WeChat login's state cookie: signed, HttpOnly, scoped to the callback's path.

Set where a login starts (the API's ``authurl`` and the login page's WeChat button) and read
by the callback.
"""

from django.conf import settings

COOKIE = "wechat_state"
SALT = "users.wechat-state"
CALLBACK_PATH = "/oauth2/wechat/callback"


def state_cookie_set(response, state: str) -> None:
    response.set_signed_cookie(
        COOKIE,
        state,
        salt=SALT,
        max_age=settings.WECHAT_STATE_TTL,
        path=CALLBACK_PATH,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def state_cookie_get(request) -> str | None:
    return request.get_signed_cookie(COOKIE, default=None, salt=SALT, max_age=settings.WECHAT_STATE_TTL)


def state_cookie_clear(response) -> None:
    response.delete_cookie(COOKIE, path=CALLBACK_PATH)
