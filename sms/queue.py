"""The sync-to-async fallback: the AsyncSms table, its claims, leases and retries.

A row is *due* when it is pending and its next attempt time has come, or when it is
being sent but its lease ran out (the worker died or lost its broker message). A
worker claims due rows — ``SELECT ... FOR UPDATE SKIP LOCKED`` where the database has
it, a conditional UPDATE on SQLite — by writing its own lease owner and lease end, and
renews the lease of each row just before sending it, so a row whose lease ran out
while it waited in a batch is left to whoever re-claimed it. Attempts are counted at
claim time: a worker killed mid-send uses up an attempt, so a message that crashes
workers cannot loop for ever.
"""

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from sms import metrics, senders, signals
from sms.models import AsyncSms
from tinybook.leases import LeasedTable

logger = logging.getLogger("sms")
S = AsyncSms.Status


def backoff_delay(attempt: int) -> float:
    """Full jitter: uniform in [0, min(cap, base * factor ** (attempt - 1))], attempt >= 1."""
    ceiling = min(
        settings.SMS_ASYNC_BACKOFF_CAP,
        settings.SMS_ASYNC_BACKOFF_BASE * settings.SMS_ASYNC_BACKOFF_FACTOR ** max(0, attempt - 1),
    )
    return random.uniform(0, ceiling)


def _schedule(row_id: int, delay: float):
    signals.delivery_due.send(sender=AsyncSms, async_id=row_id, delay=delay)


def async_enqueue(*, msg: senders.Message, reason: str, detail: str = "") -> AsyncSms:
    """Store a send for later delivery and schedule its first attempt after a backoff."""
    delay = backoff_delay(1)
    row = AsyncSms.objects.create(
        tpl_id=msg.tpl_id,
        args=list(msg.args),
        numbers=list(msg.numbers),
        max_attempts=settings.SMS_ASYNC_MAX_ATTEMPTS,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
        last_error=f"{reason}: {detail}"[:500],
    )
    metrics.ASYNC_ENQUEUED.labels(reason).inc()
    _schedule(row.id, delay)
    return row


QUEUE = LeasedTable(model=AsyncSms, waiting=S.PENDING, working=S.SENDING, lease_setting="SMS_ASYNC_LEASE",
                    touched=("updated_at",), order_by=("next_attempt_at",))


def async_claim_due(*, owner: str, limit: int) -> list[AsyncSms]:
    return list(QUEUE.claim_due(owner=owner, limit=limit))


def async_claim_one(*, row_id: int, owner: str) -> AsyncSms | None:
    if not QUEUE.claim_one(row_id=row_id, owner=owner):
        return None
    return AsyncSms.objects.get(id=row_id)


def async_deliver(*, row: AsyncSms, owner: str) -> str:
    """Send one claimed row and record the outcome; returns its new status."""
    mine = AsyncSms.objects.filter(id=row.id, lease_owner=owner, status=S.SENDING)
    now = timezone.now()
    if row.attempts > row.max_attempts:
        mine.update(status=S.FAILED, lease_owner="", lease_until=None, updated_at=now,
                    last_error="lease ran out after the last attempt")
        metrics.ASYNC_FAILED.inc()
        return S.FAILED
    if not QUEUE.renew(row_id=row.id, owner=owner):
        return S.SENDING  # the lease ran out while waiting in the batch; someone else has it
    msg = senders.Message(tpl_id=row.tpl_id, args=tuple(row.args), numbers=tuple(row.numbers), out_id=row.out_id)
    if row.in_flight_provider:
        # The last attempt's worker died during the provider call: ask that provider whether it
        # took the message before sending it again (only Aliyun can say; see docs/sms.md).
        if senders.delivered_before(row.in_flight_provider, msg, since=row.in_flight_at) is True:
            now = timezone.now()
            mine.update(status=S.SENT, provider=row.in_flight_provider, sent_at=now, lease_owner="",
                        lease_until=None, in_flight_provider="", in_flight_at=None, last_error="", updated_at=now)
            logger.info("queued sms #%s was delivered by %s before its worker died: not sent again",
                        row.id, row.in_flight_provider)
            return S.SENT

    def in_flight(name):
        mine.update(in_flight_provider=name, in_flight_at=timezone.now())

    try:
        provider = senders.send_now(msg, on_attempt=in_flight)
    except senders.NotSent as exc:
        now = timezone.now()
        error = str(exc)[:500]
        if exc.reason != "error":
            # Limited or every provider down: nothing was tried, the attempt is given back.
            delay = backoff_delay(max(1, row.attempts - 1))
            mine.update(status=S.PENDING, attempts=F("attempts") - 1, lease_owner="", lease_until=None,
                        next_attempt_at=now + timedelta(seconds=delay), last_error=error, updated_at=now,
                        in_flight_provider="", in_flight_at=None)
            _schedule(row.id, delay)
            return S.PENDING
        if row.attempts >= row.max_attempts:
            mine.update(status=S.FAILED, lease_owner="", lease_until=None, last_error=error, updated_at=now,
                        in_flight_provider="", in_flight_at=None)
            metrics.ASYNC_FAILED.inc()
            logger.warning("queued sms #%s failed after %d attempts", row.id, row.attempts)
            return S.FAILED
        delay = backoff_delay(row.attempts)
        mine.update(status=S.PENDING, lease_owner="", lease_until=None,
                    next_attempt_at=now + timedelta(seconds=delay), last_error=error, updated_at=now,
                    in_flight_provider="", in_flight_at=None)
        metrics.ASYNC_RETRIES.inc()
        _schedule(row.id, delay)
        return S.PENDING
    now = timezone.now()
    mine.update(status=S.SENT, provider=provider, sent_at=now, lease_owner="", lease_until=None,
                last_error="", updated_at=now, in_flight_provider="", in_flight_at=None)
    return S.SENT


def async_deliver_one(*, row_id: int) -> str | None:
    return QUEUE.work_on(row_id=row_id, work=lambda row, owner: async_deliver(row=row, owner=owner))


def async_sweep(*, time_budget: float | None = None) -> int:
    """Claim and deliver due rows, batch after batch, until none is due or the budget is spent."""
    return QUEUE.sweep(
        work=lambda row, owner: async_deliver(row=row, owner=owner), limit=settings.SMS_ASYNC_SWEEP_BATCH,
        budget=settings.SMS_ASYNC_SWEEP_TIME_BUDGET if time_budget is None else time_budget,
        retries=settings.SMS_ASYNC_SWEEP_RETRIES, retry_delay=settings.SMS_ASYNC_SWEEP_RETRY_DELAY,
    )


def async_wake() -> int:
    """A provider came back: waiting rows are due now (``sms.receivers`` runs the sweeper)."""
    return AsyncSms.objects.filter(status=S.PENDING, next_attempt_at__gt=timezone.now()).update(
        next_attempt_at=timezone.now()
    )


def async_requeue(*, ids=None, statuses=(S.FAILED,)) -> int:
    """Make rows due now; failed rows get a fresh set of attempts. Rows being sent are left alone."""
    now = timezone.now()
    qs = AsyncSms.objects.filter(status__in=[s for s in statuses if s in (S.PENDING, S.FAILED)])
    if ids is not None:
        qs = qs.filter(id__in=ids)
    return qs.update(status=S.PENDING, next_attempt_at=now, attempts=0,
                     max_attempts=settings.SMS_ASYNC_MAX_ATTEMPTS, updated_at=now)


def async_mark_failed(*, ids) -> int:
    now = timezone.now()
    return AsyncSms.objects.filter(id__in=ids, status=S.PENDING).update(
        status=S.FAILED, last_error="marked failed by an operator", updated_at=now
    )


def async_purge(*, statuses, older_than: timedelta) -> int:
    cutoff = timezone.now() - older_than
    allowed = [s for s in statuses if s in (S.SENT, S.FAILED)]
    deleted, _ = AsyncSms.objects.filter(status__in=allowed, updated_at__lt=cutoff).delete()
    return deleted
