"""The WeChat Open Platform, as our login needs it: the QR-connect URL and the code exchange.

An HTTP client of WeChat's API and nothing else; what a login does with the answer is in
``users.services.wechat_login``. The base URLs are settings, so tests point them at a local
fake server.
"""

import logging
import secrets
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from tinybook.exceptions import ApplicationError, DependencyError

logger = logging.getLogger(__name__)


def state_new() -> str:
    """An unguessable ``state`` for one login attempt (kept in a signed cookie)."""
    return secrets.token_urlsafe(24)


def qrconnect_url(*, state: str, redirect_uri: str) -> str:
    query = urlencode(
        {
            "appid": settings.WECHAT_APP_ID,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": "snsapi_login",
            "state": state,
        }
    )
    return f"{settings.WECHAT_QRCONNECT_URL}?{query}#wechat_redirect"


def code_exchange(*, code: str) -> tuple[str, str]:
    """(openid, unionid) for an authorisation code, from the WeChat API."""
    url = settings.WECHAT_API_BASE.rstrip("/") + "/sns/oauth2/access_token"
    params = {
        "appid": settings.WECHAT_APP_ID,
        "secret": settings.WECHAT_APP_SECRET,
        "code": code,
        "grant_type": "authorization_code",
    }
    try:
        resp = requests.get(url, params=params, timeout=settings.WECHAT_HTTP_TIMEOUT)
        resp.raise_for_status()
        body = resp.json()
    except (requests.RequestException, ValueError):
        logger.warning("WeChat code exchange failed (HTTP)")
        raise DependencyError(_("WeChat is not answering, try again later")) from None
    if not isinstance(body, dict):
        raise DependencyError(_("WeChat is not answering, try again later"))
    if body.get("errcode"):
        logger.info("WeChat refused a code: errcode %s", body.get("errcode"))
        raise ApplicationError(_("WeChat login failed: the authorisation was refused or has expired"))
    openid = body.get("openid")
    if not isinstance(openid, str) or not openid or len(openid) > 64:
        raise DependencyError(_("WeChat is not answering, try again later"))
    unionid = body.get("unionid") if isinstance(body.get("unionid"), str) else ""
    return openid, unionid[:64]
