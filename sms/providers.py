"""SMS providers: one class per vendor, each sending one message to a list of numbers.

A provider raises ``ProviderError`` for anything that means "this provider did not send"
(vendor error code, HTTP failure, timeout); the decorators in ``sms.senders`` decide
what happens next. Providers know nothing about health, limits or queues.
"""

import logging

from django.conf import settings
from django.db import transaction

from sms.models import OutboxMessage

logger = logging.getLogger("sms")


class ProviderError(Exception):
    """The provider did not accept the message; another provider may."""


class ProviderTimeout(ProviderError):
    """The provider did not answer within the timeout."""


def mask_phone(phone: str) -> str:
    """+8613800000000 -> +86*******0000: enough to tell numbers apart in a log, not to dial."""
    if len(phone) <= 6:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


class Provider:
    name = "base"

    def send(self, *, tpl_id: str, args: list[str], numbers: list[str], timeout: float) -> None:
        raise NotImplementedError


class ConsoleProvider(Provider):
    """Development provider: logs that a message went out, keeps its text in the outbox table.

    The log line carries the template and masked numbers only; the text (which may hold a
    login code) goes to the outbox table, never to the log.
    """

    name = "console"

    def render(self, tpl_id: str, args: list[str]) -> str:
        pattern = settings.SMS_CONSOLE_TEMPLATES.get(tpl_id)
        if pattern:
            try:
                return pattern.format(*args)
            except (IndexError, KeyError, ValueError):
                pass
        return f"[{tpl_id}] " + " ".join(args)

    def send(self, *, tpl_id, args, numbers, timeout):
        text = self.render(tpl_id, args)
        with transaction.atomic():
            OutboxMessage.objects.bulk_create(
                [OutboxMessage(phone=n, text=text, tpl_id=tpl_id) for n in numbers]
            )
            keep = settings.SMS_CONSOLE_OUTBOX_SIZE
            cutoff = OutboxMessage.objects.order_by("-id").values_list("id", flat=True)[keep : keep + 1]
            cutoff = list(cutoff)
            if cutoff:
                OutboxMessage.objects.filter(id__lte=cutoff[0]).delete()
        logger.info(
            "console SMS sent: template=%s to=%s (text in the dev outbox: manage.py sms_outbox)",
            tpl_id, ",".join(mask_phone(n) for n in numbers),
        )
