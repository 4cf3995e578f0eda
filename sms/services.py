"""SMS writes. ``sms_send`` is the one entry point other apps call."""

from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext as _

from sms import senders
from tinybook.exceptions import ApplicationError

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


def _validate(tpl_id, args) -> tuple[str, list[str]]:
    if not isinstance(tpl_id, str) or not tpl_id.strip() or len(tpl_id) > settings.SMS_TEMPLATE_ID_MAX:
        raise ApplicationError(_("SMS template is not valid"))
    if not isinstance(args, list | tuple) or not all(isinstance(a, str) for a in args):
        raise ApplicationError(_("SMS arguments must be a list of strings"))
    return tpl_id.strip(), list(args)


def sms_send(
    *, tpl_id: str, args: list[str], numbers: list[str], template_token: str | None = None
) -> SendResult:
    """Send one templated message to ``numbers`` (E.164 or national in PHONE_DEFAULT_REGION).

    Returns "sent" when a provider accepted it now, "accepted" when it was queued for
    delivery by the workers. Raises ApplicationError for bad input.
    """
    tpl_id, args = _validate(tpl_id, args)
    numbers = _normalise_numbers(numbers)
    provider = senders.send_now(tpl_id=tpl_id, args=args, numbers=numbers)
    return SendResult(status=SENT, provider=provider)
