"""SMS reads."""

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from sms.models import AsyncSms, OutboxMessage
from sms.senders import provider_is_down


def outbox_list(*, limit: int | None = None) -> list[OutboxMessage]:
    """The dev outbox, oldest first (newest last), at most ``limit`` (default: all kept)."""
    limit = limit or settings.SMS_CONSOLE_OUTBOX_SIZE
    rows = list(OutboxMessage.objects.order_by("-id")[:limit])
    rows.reverse()
    return rows


def async_counts_by_status() -> dict[str, int]:
    counts = {s: 0 for s in AsyncSms.Status.values}
    for row in AsyncSms.objects.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


def async_due_count() -> int:
    now = timezone.now()
    return AsyncSms.objects.filter(status=AsyncSms.Status.PENDING, next_attempt_at__lte=now).count()


def provider_states(*, providers: list[str]) -> dict[str, bool | None]:
    """provider -> True (up), False (down), None (Redis cannot tell)."""
    out = {}
    for name in providers:
        down = provider_is_down(name)
        out[name] = None if down is None else not down
    return out
