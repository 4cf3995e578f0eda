"""Login by a code sent in an SMS: the code's life in Redis (Lua), the send, the login."""

import hashlib
import hmac
import secrets
import string
import time
import uuid

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from sms.services import sms_send, sms_template_token
from tinybook import kv
from tinybook.exceptions import ApplicationError, DependencyError, TooManyAttemptsError
from users.models import User
from users.services.accounts import user_find_or_create

_sms_code_send = kv.Script("sms_code_send")
_sms_code_verify = kv.Script("sms_code_verify")


def _invalid_phone() -> ApplicationError:
    return ApplicationError(_("enter a valid phone number"), field="phone",
                            label=pgettext_lazy("field", "phone"))


def phone_normalise(phone: str) -> str:
    if not phone.strip():
        raise _invalid_phone()
    try:
        parsed = phonenumbers.parse(phone.strip(), settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise _invalid_phone() from None
    if not phonenumbers.is_valid_number(parsed):
        raise _invalid_phone()
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _code_hash(phone: str, code: str) -> str:
    """Only this keyed hash is stored: a Redis dump does not reveal live codes."""
    return hmac.new(settings.SECRET_KEY.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def sms_code_send(*, phone: str, ip: str) -> None:
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


def sms_code_verify(*, phone: str, code: str) -> bool:
    if not code.isascii() or not code.isdigit():
        return False
    try:
        return bool(
            _sms_code_verify(keys=[kv.sms_code_key(phone)], args=[_code_hash(phone, code), settings.SMS_CODE_MAX_ATTEMPTS])
        )
    except kv.REDIS_ERRORS:
        raise DependencyError() from None


def user_login_sms(*, phone: str, code: str) -> User:
    phone = phone_normalise(phone)
    if not sms_code_verify(phone=phone, code=code):
        # One answer for wrong, expired, used and exhausted codes.
        raise ApplicationError(_("the code is wrong or has expired"))
    return user_find_or_create(phone=phone)
