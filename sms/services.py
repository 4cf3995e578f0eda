"""SMS writes. ``sms_send`` is the one entry point other apps call."""

import hashlib
import json
import logging
import re
import time
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from sms import queue, senders
from tinybook import kv
from tinybook.exceptions import ApplicationError, ForbiddenError

logger = logging.getLogger("sms")
TOKEN_SALT = "sms.template-token"  # noqa: S105 - a signing salt, not a secret

SENT = "sent"
ACCEPTED = "accepted"


@dataclass(frozen=True)
class SendResult:
    """``status`` is "sent" (a provider took it now) or "accepted" (queued, delivered later)."""

    status: str
    provider: str = ""
    async_id: int | None = None
    duplicate: bool = False

    @property
    def sent(self) -> bool:
        return self.status == SENT


def _normalise_numbers(numbers) -> list[str]:
    if not isinstance(numbers, list | tuple) or not numbers:
        raise ApplicationError(_("at least one phone number is required"))
    if len(numbers) > settings.SMS_MAX_NUMBERS_PER_SEND:
        raise ApplicationError(
            _("at most %(n)d phone numbers per message") % {"n": settings.SMS_MAX_NUMBERS_PER_SEND}
        )
    out = []
    for raw in numbers:
        try:
            parsed = phonenumbers.parse(str(raw), settings.PHONE_DEFAULT_REGION)
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is None or not phonenumbers.is_valid_number(parsed):
            raise ApplicationError(_("phone number is not valid"))
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        if e164 not in out:
            out.append(e164)
    return out


# Template ids become metric labels, log fields and vendor ids: a plain, short name.
TEMPLATE_ID = re.compile(r"[A-Za-z0-9_.-]+")


def _validate(tpl_id, args) -> tuple[str, list[str]]:
    tpl_id = tpl_id.strip() if isinstance(tpl_id, str) else ""
    if not TEMPLATE_ID.fullmatch(tpl_id) or len(tpl_id) > settings.SMS_TEMPLATE_ID_MAX:
        raise ApplicationError(_("SMS template is not valid"))
    if not isinstance(args, list | tuple) or not all(isinstance(a, str) for a in args):
        raise ApplicationError(_("SMS arguments must be a list of strings"))
    if len(args) > settings.SMS_MAX_ARGS or any(len(a) > settings.SMS_ARG_MAX_LENGTH for a in args):
        raise ApplicationError(
            _("at most %(n)d SMS arguments of at most %(m)d characters each")
            % {"n": settings.SMS_MAX_ARGS, "m": settings.SMS_ARG_MAX_LENGTH}
        )
    return tpl_id, list(args)


def sms_template_token(*, tpl_id: str) -> str:
    """A signed token allowing its holder to send template ``tpl_id``."""
    return signing.dumps({"tpl": tpl_id}, salt=TOKEN_SALT, compress=True)


def _check_template_token(tpl_id: str, token: str | None):
    if token is None:
        if settings.SMS_REQUIRE_TEMPLATE_TOKEN:
            raise ForbiddenError(_("this SMS template needs a template token"))
        return
    max_age = settings.SMS_TEMPLATE_TOKEN_MAX_AGE or None
    try:
        payload = signing.loads(str(token), salt=TOKEN_SALT, max_age=max_age)
    except signing.BadSignature:
        payload = None
    if not isinstance(payload, dict) or payload.get("tpl") != tpl_id:
        raise ForbiddenError(_("the template token is not valid for this SMS template"))


def _dedup_key(msg: senders.Message) -> str:
    raw = json.dumps([msg.tpl_id, sorted(msg.numbers), list(msg.args)], ensure_ascii=False)
    return kv.sms_dedup_key(hashlib.sha256(raw.encode()).hexdigest())


def _dedup_claim(key: str) -> str | None:
    """None when this send is the first in the window; else the first one's status.

    Redis unreachable: no protection (a rare duplicate beats a lost login code).
    """
    try:
        conn = kv.client()
        if conn.set(key, "pending", nx=True, ex=settings.SMS_DEDUP_WINDOW):
            return None
        previous = conn.get(key)
    except kv.REDIS_ERRORS as exc:
        logger.warning("sms duplicate check skipped (redis: %s)", type(exc).__name__)
        return None
    previous = previous.decode() if isinstance(previous, bytes) else previous
    return previous if previous in (SENT, ACCEPTED) else ACCEPTED


def _dedup_set(key: str, value: str | None):
    try:
        if value is None:
            kv.client().delete(key)
        else:
            kv.client().set(key, value, xx=True, keepttl=True)
    except kv.REDIS_ERRORS:
        pass


def sms_send(
    *,
    tpl_id: str,
    args: list[str],
    numbers: list[str],
    template_token: str | None = None,
    timeout: float | None = None,
) -> SendResult:
    """Send one templated message to ``numbers`` (E.164 or national in PHONE_DEFAULT_REGION).

    Returns "sent" when a provider took it now, "accepted" when it was queued for the
    workers (providers limited, down or failing). The same template, numbers and args
    within SMS_DEDUP_WINDOW are sent once: the repeat returns the first outcome with
    ``duplicate=True``. ``timeout`` (seconds) bounds the whole synchronous attempt; when
    it passes, ``CallerTimeout`` is raised at once and nothing is queued.
    Raises ApplicationError for bad input, ForbiddenError for a missing or forged
    template token (when required, or when given).
    """
    tpl_id, args = _validate(tpl_id, args)
    numbers = _normalise_numbers(numbers)
    _check_template_token(tpl_id, template_token)
    msg = senders.Message(tpl_id=tpl_id, args=tuple(args), numbers=tuple(numbers))
    key = _dedup_key(msg)
    previous = _dedup_claim(key)
    if previous is not None:
        return SendResult(status=previous, duplicate=True)
    deadline = time.monotonic() + timeout if timeout is not None else None
    try:
        provider = senders.send_now(msg, deadline=deadline)
    except senders.NotSent as exc:
        row = queue.async_enqueue(msg=msg, reason=exc.reason, detail=exc.detail)
        _dedup_set(key, ACCEPTED)
        return SendResult(status=ACCEPTED, async_id=row.id)
    except BaseException:
        _dedup_set(key, None)
        raise
    _dedup_set(key, SENT)
    return SendResult(status=SENT, provider=provider)
