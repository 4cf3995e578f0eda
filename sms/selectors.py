"""SMS reads."""

from django.conf import settings

from sms.models import OutboxMessage


def outbox_list(*, limit: int | None = None) -> list[OutboxMessage]:
    """The dev outbox, oldest first (newest last), at most ``limit`` (default: all kept)."""
    limit = limit or settings.SMS_CONSOLE_OUTBOX_SIZE
    rows = list(OutboxMessage.objects.order_by("-id")[:limit])
    rows.reverse()
    return rows
