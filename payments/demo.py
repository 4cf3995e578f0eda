"""Demo payments for ``manage.py seed_demo`` (portal, through rewards' demo): paid orders of the
``dev`` provider, each with its outbox event already delivered, as the services leave them."""

import secrets

from django.utils import timezone

from payments.models import Payment, PaymentEvent
from payments.services import _trade_no


def demo_payment_paid(*, biz: str, biz_id: int, amount: int, description: str) -> str:
    """One paid order and its delivered event; returns the provider ("dev")."""
    now = timezone.now()
    payment = Payment.objects.create(
        biz=biz, biz_id=biz_id, out_trade_no=_trade_no(), amount=amount, description=description[:127],
        provider="dev", status=Payment.Status.PAID, transaction_id="DEV" + secrets.token_hex(8),
        expires_at=now, next_check_at=now, paid_at=now,
    )
    PaymentEvent.objects.create(payment=payment, kind=PaymentEvent.Kind.PAID, biz=biz, biz_id=biz_id, amount=amount,
                                status=PaymentEvent.Status.DELIVERED, attempts=1, ctime=now, delivered_at=now)
    return payment.provider
