"""The relay of the payment outbox (the "local message table").

A payment's status change and its ``PaymentEvent`` row commit together (``payments.services``).
The relay delivers each event — the ``payment_settled`` signal, whose receivers (rewards) do
their part in their own transaction — and marks it delivered only when every receiver returned:
that is the acknowledgement. Delivery is at least once; receivers are idempotent.

Claims work as in the SMS queue (``tinybook.leases``, docs/sms.md): a relay claims due events
with ``SELECT … FOR UPDATE SKIP LOCKED`` where the database has it (a conditional UPDATE on
SQLite), writing its lease owner and lease end; a relay killed mid-delivery leaves its event to
be re-claimed once the lease ran out. An event scheduled after commit is relayed at once by a Celery task; the beat
sweeper is the safety net for a lost broker message, a dead worker or a failed delivery.
"""

import logging
import random
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from payments import metrics, signals
from payments.models import Payment, PaymentEvent
from tinybook.leases import LeasedTable

logger = logging.getLogger("payments")
S = PaymentEvent.Status


@dataclass(frozen=True)
class SettledPayment:
    """What ``payment_settled`` receivers are told. ``amount`` is the order's, in fen."""

    event_id: int
    payment_id: int
    biz: str
    biz_id: int
    amount: int
    paid: bool  # False: the payment failed (closed, expired, refused by the payer's bank)
    provider: str  # the channel the money came through ("wechat", "dev")


def outbox_schedule(event_id: int) -> None:
    """Relay ``event_id`` as soon as the current transaction commits."""
    signals.outbox_due.send(sender=PaymentEvent, event_id=event_id)


def backoff_delay(attempt: int) -> float:
    """Full jitter: uniform in [0, min(cap, base * 2 ** (attempt - 1))], attempt >= 1."""
    ceiling = min(settings.PAYMENT_OUTBOX_BACKOFF_CAP,
                  settings.PAYMENT_OUTBOX_BACKOFF_BASE * 2 ** max(0, attempt - 1))
    return random.uniform(0, ceiling)


OUTBOX = LeasedTable(model=PaymentEvent, waiting=S.PENDING, working=S.RELAYING, lease_setting="PAYMENT_OUTBOX_LEASE",
                     related=("payment",))


def outbox_claim_due(*, owner: str, limit: int) -> list[PaymentEvent]:
    return list(OUTBOX.claim_due(owner=owner, limit=limit))


def outbox_deliver(*, event: PaymentEvent, owner: str) -> bool:
    """Deliver one claimed event; True when every receiver acknowledged it."""
    if not OUTBOX.renew(row_id=event.id, owner=owner):
        return False  # the lease ran out while it waited in the batch; someone else has it
    settled = SettledPayment(event_id=event.id, payment_id=event.payment_id, biz=event.biz, biz_id=event.biz_id,
                             amount=event.amount, paid=event.kind == PaymentEvent.Kind.PAID,
                             provider=event.payment.provider)
    responses = signals.payment_settled.send_robust(sender=Payment, event=settled)
    errors = sorted({type(result).__name__ for _receiver, result in responses if isinstance(result, Exception)})
    mine = PaymentEvent.objects.filter(id=event.id, lease_owner=owner, status=S.RELAYING)
    now = timezone.now()
    if errors:
        delay = backoff_delay(event.attempts)
        mine.update(status=S.PENDING, lease_owner="", lease_until=None,
                    next_attempt_at=now + timedelta(seconds=delay), last_error=", ".join(errors)[:200])
        metrics.RELAY_DELIVERIES.labels("failed").inc()
        logger.warning("payment event #%s not acknowledged (attempt %d): %s", event.id, event.attempts,
                       ", ".join(errors))
        return False
    mine.update(status=S.DELIVERED, delivered_at=now, lease_owner="", lease_until=None, last_error="")
    metrics.RELAY_DELIVERIES.labels("delivered").inc()
    metrics.RELAY_LAG.observe(max(0.0, (now - event.ctime).total_seconds()))
    return True


def _deliver(event: PaymentEvent, owner: str) -> bool:
    return outbox_deliver(event=event, owner=owner)


def outbox_deliver_one(*, event_id: int) -> bool | None:
    """Claim and deliver one event (the task scheduled after commit); None when it was not due."""
    return OUTBOX.work_on(row_id=event_id, work=_deliver)


def outbox_sweep(*, time_budget: float | None = None) -> int:
    """Claim and deliver due events, batch after batch, until none is due or the budget is spent."""
    return OUTBOX.sweep(work=_deliver, limit=settings.PAYMENT_OUTBOX_BATCH,
                        budget=settings.PAYMENT_OUTBOX_SWEEP_TIME_BUDGET if time_budget is None else time_budget)


def outbox_requeue(*, ids) -> int:
    """Make pending events due now (an operator's "relay now"); events being relayed are left alone."""
    return PaymentEvent.objects.filter(id__in=ids, status=S.PENDING).update(next_attempt_at=timezone.now())
