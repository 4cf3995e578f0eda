"""Payment reads, for our pages and for the apps above (rewards' QR code and reconciliation)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone

from payments.models import Payment, PaymentEvent
from tinybook.exceptions import NotFoundError

_IDS_CHUNK = 1000


@dataclass(frozen=True)
class PaymentRecord:
    id: int
    biz: str
    biz_id: int
    out_trade_no: str
    amount: int  # fen
    status: str  # Payment.Status
    provider: str
    code_url: str
    ctime: datetime
    paid_at: datetime | None


def _record(p: Payment) -> PaymentRecord:
    return PaymentRecord(id=p.id, biz=p.biz, biz_id=p.biz_id, out_trade_no=p.out_trade_no, amount=p.amount,
                         status=p.status, provider=p.provider, code_url=p.code_url, ctime=p.ctime, paid_at=p.paid_at)


def payment_for(*, biz: str, biz_id: int) -> PaymentRecord | None:
    p = Payment.objects.filter(biz=biz, biz_id=biz_id).first()
    return _record(p) if p else None


def payments_for(*, biz: str, biz_ids: Iterable[int]) -> dict[int, PaymentRecord]:
    ids = list(dict.fromkeys(biz_ids))
    out: dict[int, PaymentRecord] = {}
    for i in range(0, len(ids), _IDS_CHUNK):
        out.update({p.biz_id: _record(p) for p in Payment.objects.filter(biz=biz, biz_id__in=ids[i : i + _IDS_CHUNK])})
    return out


def payments_paid_biz_ids(*, biz: str, after_id: int, limit: int) -> list[tuple[int, int]]:
    """``(payment id, biz_id)`` of paid payments of ``biz`` with id > ``after_id``, in id order."""
    return list(Payment.objects.filter(biz=biz, status=Payment.Status.PAID, id__gt=after_id)
                .order_by("id").values_list("id", "biz_id")[:limit])


def payment_for_dev_page(*, out_trade_no: str) -> PaymentRecord:
    """The order the dev page shows; NotFoundError unless the dev provider is on."""
    if settings.PAYMENT_PROVIDER != "dev":
        raise NotFoundError()
    p = Payment.objects.filter(out_trade_no=out_trade_no).first()
    if p is None:
        raise NotFoundError()
    return _record(p)


def payment_counts_by_status() -> dict[str, int]:
    counts = dict(Payment.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {status: counts.get(status, 0) for status in Payment.Status.values}


def outbox_state() -> tuple[int, float]:
    """(events not yet delivered, age in seconds of the oldest of them; 0 when none)."""
    row = PaymentEvent.objects.exclude(status=PaymentEvent.Status.DELIVERED).aggregate(n=Count("id"), oldest=Min("ctime"))
    age = (timezone.now() - row["oldest"]).total_seconds() if row["oldest"] else 0.0
    return row["n"], max(0.0, age)
