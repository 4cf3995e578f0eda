import datetime
import hashlib
import hmac
import logging
import secrets
import string
import time
import uuid

import phonenumbers
import requests
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinybook import kv
from tinybook.exceptions import (
    ApplicationError,
    AuthenticationError,
    DependencyError,
    TooManyAttemptsError,
)
from users.models import User
from users.tokens import SessionRefreshToken, token_pair

logger = logging.getLogger(__name__)

_revoke_sessions = kv.Script("revoke_sessions")
_login_failures_script = kv.Script("login_failures")
_sms_code_send = kv.Script("sms_code_send")
_sms_code_verify = kv.Script("sms_code_verify")


# --- login sessions (ssid) ---------------------------------------------------------------------

def session_start(*, user_id: int, user_agent: str) -> tuple[str, str]:
    """Open a login session: a new ssid, registered for logout_all; returns (access, refresh)."""
    ssid = uuid.uuid4().hex
    lifetime = settings.JWT_REFRESH_LIFETIME
    now = time.time()
    sessions = kv.user_sessions_key(user_id)
    try:
        pipe = kv.client().pipeline(transaction=True)
        pipe.zremrangebyscore(sessions, "-inf", now)
        pipe.zadd(sessions, {ssid: now + lifetime})
        pipe.expire(sessions, lifetime)
        pipe.execute()
    except kv.REDIS_ERRORS:
        # Without the registry, logout_all could not reach this session: refuse to open it.
        raise DependencyError() from None
    return token_pair(uid=user_id, ssid=ssid, user_agent=user_agent)


def session_revoke(*, ssid: str) -> None:
    """Log one session out: its tokens are refused from now on (for the refresh lifetime)."""
    kv.client().set(kv.revoked_ssid_key(ssid), "1", ex=settings.JWT_REFRESH_LIFETIME)


def session_revoke_all(*, user_id: int) -> int:
    """Log out every live session of the user; returns how many were revoked."""
    return int(
        _revoke_sessions(
            keys=[kv.user_sessions_key(user_id)],
            args=[int(time.time()), kv.revoked_ssid_key(""), settings.JWT_REFRESH_LIFETIME],
        )
    )


def session_refresh(*, refresh: SessionRefreshToken, user_agent: str) -> tuple[str, str]:
    """Rotate both tokens of a session. A refresh token works once: a second use means it
    was stolen, so the whole session is revoked and the caller gets 401."""
    remaining = max(1, int(refresh["exp"] - time.time()))
    first_use = kv.client().set(kv.used_refresh_key(refresh["jti"]), "1", nx=True, ex=remaining)
    if not first_use:
        session_revoke(ssid=refresh["ssid"])
        raise AuthenticationError("refresh token reused")
    return token_pair(uid=refresh["uid"], ssid=refresh["ssid"], user_agent=user_agent)


# --- sign-up and email login -------------------------------------------------------------------

def email_normalise(email) -> str:
    if not isinstance(email, str) or not email.strip():
        raise ApplicationError(_("email: enter a valid email address"))
    email = User.objects.normalize_email_address(email)
    if len(email) > User._meta.get_field("email").max_length:
        raise ApplicationError(_("email: enter a valid email address"))
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError(_("email: enter a valid email address")) from None
    return email


def password_check(*, password, user: User | None = None) -> None:
    """SPEC rules (length, a letter, a digit, a special printable-ASCII character), then
    Django's validators. Raises ApplicationError with the first failed rule."""
    if not isinstance(password, str):
        raise ApplicationError(_("password: this field is required"))
    lo, hi = settings.PASSWORD_MIN_LENGTH, settings.PASSWORD_MAX_LENGTH
    if not lo <= len(password) <= hi:
        raise ApplicationError(_("password: must be %(lo)d to %(hi)d characters") % {"lo": lo, "hi": hi})
    special = set(string.punctuation)  # printable ASCII that is neither letter, digit nor space
    if not (
        any(c in string.ascii_letters for c in password)
        and any(c in string.digits for c in password)
        and any(c in special for c in password)
    ):
        raise ApplicationError(
            _("password: must contain a letter, a digit and a special character such as $@!%*#?&")
        )
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        raise ApplicationError(_("password: %(msg)s") % {"msg": exc.messages[0]}) from None


def user_signup(*, email, password, confirm_password) -> User:
    email = email_normalise(email)
    if not isinstance(confirm_password, str) or password != confirm_password:
        raise ApplicationError(_("confirmPassword: the two passwords do not match"))
    password_check(password=password, user=User(email=email))
    user = User(email=email)
    user.set_password(password)
    try:
        # The unique index decides between concurrent sign-ups, not a read-then-write.
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ApplicationError(_("email: this email is already registered")) from None
    return user


def _login_failure_keys(email: str, ip: str):
    keys = [kv.login_failures_account_key(email), kv.login_failures_ip_key(ip)]
    limits = [settings.LOGIN_FAILURES_PER_ACCOUNT, settings.LOGIN_FAILURES_PER_IP]
    return keys, limits


def _login_failures(mode: str, email: str, ip: str) -> bool:
    keys, limits = _login_failure_keys(email, ip)
    now_ms = int(time.time() * 1000)
    args = [mode, now_ms, settings.LOGIN_FAILURE_WINDOW * 1000, *limits, f"{now_ms}-{uuid.uuid4().hex[:12]}"]
    try:
        return bool(_login_failures_script(keys=keys, args=args))
    except kv.REDIS_ERRORS:
        # Without the limiter a password could be guessed freely: refuse rather than guess.
        raise DependencyError() from None


def user_login_email(*, email, password, ip: str) -> User:
    """The user for a good email and password. Failures are limited per account and per IP
    (sliding windows); once a window is full even the right password is refused."""
    if not isinstance(email, str) or not isinstance(password, str) or not email or not password:
        raise ApplicationError(_("email and password are required"))
    email = User.objects.normalize_email_address(email)
    if not _login_failures("check", email, ip):
        raise TooManyAttemptsError()
    user = User.objects.filter(email=email).first()
    if user is None:
        # Spend the same hashing time as a real check, so timing does not reveal accounts.
        User().set_password(password)
    if user is None or not user.check_password(password) or not user.is_active:
        _login_failures("record", email, ip)
        raise ApplicationError(_("wrong email or password"))
    return user


# --- SMS code login ------------------------------------------------------------------------------

def phone_normalise(phone) -> str:
    if not isinstance(phone, str) or not phone.strip():
        raise ApplicationError(_("phone: enter a valid phone number"))
    try:
        parsed = phonenumbers.parse(phone.strip(), settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ApplicationError(_("phone: enter a valid phone number")) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ApplicationError(_("phone: enter a valid phone number"))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _code_hash(phone: str, code: str) -> str:
    """Only this keyed hash is stored: a Redis dump does not reveal live codes."""
    return hmac.new(settings.SECRET_KEY.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def sms_code_send(*, phone, ip: str) -> None:
    from sms.services import sms_send, sms_template_token

    phone = phone_normalise(phone)
    code = "".join(secrets.choice(string.digits) for _ in range(settings.SMS_CODE_DIGITS))
    now_ms = int(time.time() * 1000)
    try:
        outcome = int(
            _sms_code_send(
                keys=[
                    kv.sms_code_key(phone),
                    kv.sms_code_resend_key(phone),
                    kv.sms_code_ip_sends_key(ip),
                    kv.sms_code_phone_sends_key(phone),
                ],
                args=[
                    now_ms,
                    _code_hash(phone, code),
                    settings.SMS_CODE_TTL * 1000,
                    settings.SMS_CODE_RESEND_INTERVAL * 1000,
                    settings.SMS_CODE_SENDS_PER_IP_PER_HOUR,
                    3600 * 1000,
                    settings.SMS_CODE_SENDS_PER_PHONE_PER_DAY,
                    24 * 3600 * 1000,
                    f"{now_ms}-{uuid.uuid4().hex[:12]}",
                ],
            )
        )
    except kv.REDIS_ERRORS:
        raise DependencyError() from None
    if outcome == -1:
        raise TooManyAttemptsError(_("a code was sent recently, wait before asking again"))
    if outcome in (-2, -3):
        raise TooManyAttemptsError(_("too many codes requested, try again later"))
    tpl_id = settings.SMS_LOGIN_TEMPLATE_ID
    try:
        # We are the trusted owner of the login template, so we sign our own template token.
        sms_send(tpl_id=tpl_id, args=[code], numbers=[phone], template_token=sms_template_token(tpl_id=tpl_id))
    except BaseException:
        # Not sent: drop the code and the resend lock so the user can ask again at once.
        try:
            kv.client().delete(kv.sms_code_key(phone), kv.sms_code_resend_key(phone))
        except kv.REDIS_ERRORS:
            pass
        raise


def sms_code_verify(*, phone: str, code) -> bool:
    if not isinstance(code, str) or not code.isascii() or not code.isdigit():
        return False
    try:
        return bool(
            _sms_code_verify(keys=[kv.sms_code_key(phone)], args=[_code_hash(phone, code), settings.SMS_CODE_MAX_ATTEMPTS])
        )
    except kv.REDIS_ERRORS:
        raise DependencyError() from None


def _find_or_create(**lookup) -> User:
    """Find the user by a unique field or create it; the unique index decides races."""
    user = User.objects.filter(**lookup).first()
    if user is not None:
        return user
    try:
        with transaction.atomic():
            user = User(**lookup)
            user.set_unusable_password()
            user.save()
            return user
    except IntegrityError:
        return User.objects.get(**lookup)


def user_login_sms(*, phone, code) -> User:
    phone = phone_normalise(phone)
    if not sms_code_verify(phone=phone, code=code):
        # One answer for wrong, expired, used and exhausted codes.
        raise ApplicationError(_("the code is wrong or has expired"))
    return _find_or_create(phone=phone)


# --- WeChat QR login -----------------------------------------------------------------------------

def wechat_auth_url(*, state: str) -> str:
    from urllib.parse import urlencode

    query = urlencode(
        {
            "appid": settings.WECHAT_APP_ID,
            "redirect_uri": settings.WECHAT_REDIRECT_URI,
            "response_type": "code",
            "scope": "snsapi_login",
            "state": state,
        }
    )
    return f"{settings.WECHAT_QRCONNECT_URL}?{query}#wechat_redirect"


def wechat_state_new() -> str:
    return secrets.token_urlsafe(24)


def wechat_exchange_code(*, code: str) -> tuple[str, str]:
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


def user_login_wechat(*, code, state, expected_state) -> User:
    if not expected_state or not isinstance(state, str) or not hmac.compare_digest(state, expected_state):
        raise ApplicationError(_("WeChat login expired or was not started here, try again"))
    if not isinstance(code, str) or not code or len(code) > 512:
        raise ApplicationError(_("WeChat login failed: no authorisation code"))
    openid, unionid = wechat_exchange_code(code=code)
    user = _find_or_create(wechat_open_id=openid)
    if unionid and user.wechat_union_id != unionid:
        User.objects.filter(pk=user.pk).update(wechat_union_id=unionid)
    return user


# --- profile ---------------------------------------------------------------------------------------

_UNSET = object()


def _birthday_parse(value) -> datetime.date | None:
    if value == "":
        return None
    msg = _("birthday: use the format YYYY-MM-DD, a real date, not in the future")
    if not isinstance(value, str) or len(value) != 10:
        raise ApplicationError(msg)
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise ApplicationError(msg) from None
    if day > timezone.localdate() or day.year < settings.PROFILE_BIRTHDAY_MIN_YEAR:
        raise ApplicationError(msg)
    return day


def user_profile_update(*, user_id: int, nickname=_UNSET, birthday=_UNSET, about_me=_UNSET) -> None:
    """Change the given fields (omitted ones stay), then drop the cached profile."""
    changes = {}
    if nickname is not _UNSET:
        nick = nickname.strip() if isinstance(nickname, str) else None
        limit = settings.PROFILE_NICKNAME_MAX_LENGTH
        if not nick or len(nick) > limit:
            raise ApplicationError(_("nickname: 1 to %(n)d characters") % {"n": limit})
        changes["nickname"] = nick
    if birthday is not _UNSET:
        changes["birthday"] = _birthday_parse(birthday)
    if about_me is not _UNSET:
        limit = settings.PROFILE_ABOUT_ME_MAX_LENGTH
        if not isinstance(about_me, str) or len(about_me) > limit:
            raise ApplicationError(_("aboutMe: at most %(n)d characters") % {"n": limit})
        changes["about_me"] = about_me
    if changes:
        changes["updated_at"] = timezone.now()
        User.objects.filter(pk=user_id).update(**changes)
    profile_cache_drop(user_id=user_id)


def profile_cache_drop(*, user_id: int) -> None:
    try:
        kv.client().delete(kv.user_profile_key(user_id))
    except kv.REDIS_ERRORS:
        logger.warning("profile cache not dropped for user %s (Redis)", user_id)
