"""Payments: create an order, settle it from a notification or a query, close it when it expires.

Every settlement goes through ``_settle``: one transaction locks the payment row, checks the
claimed amount against the order we created (a different amount is refused and logged; the
amount passed on is always the order's), changes the status once and writes the outbox event.
A repeated notification finds the status already changed and writes nothing. See docs/rewards.md.
"""

import enum
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from payments import metrics, outbox, providers
from payments.models import Payment, PaymentEvent
from tinybook.exceptions import ApplicationError, DependencyError, NotFoundError

logger = logging.getLogger("payments")
P = Payment.Status

ORDER_NOT_EXIST = "ORDER_NOT_EXIST"
ORDERPAID = "ORDERPAID"
ORDER_CLOSED = "ORDER_CLOSED"


class PaymentsUnavailable(ApplicationError):
    default_message = _("payments are not available on this site")


class UnknownOrder(Exception):
    pass


class AmountMismatch(Exception):
    pass


class Outcome(enum.Enum):
    """What became of a notification; ``/pay/callback`` answers by it."""

    ACCEPTED = "accepted"  # the payment changed state
    DUPLICATE = "duplicate"  # it had already (a redelivery)
    IGNORED = "ignored"  # a state that settles nothing (NOTPAY, USERPAYING, REFUND …)
    REFUSED = "refused"  # not genuine, or its amount differs from the order: logged
    UNKNOWN_ORDER = "unknown_order"
    UNAVAILABLE = "unavailable"  # payments not configured here


def _provider() -> providers.PaymentProvider:
    try:
        return providers.get_provider()
    except providers.NotConfigured as exc:
        logger.warning("payments unavailable: %s", exc)
        raise PaymentsUnavailable() from None


def payments_check_available() -> None:
    """PaymentsUnavailable (code 4) unless the configured provider can take orders."""
    _provider()


def _trade_no() -> str:
    # 32 characters of [0-9A-Za-z]: a date for people reading the admin, then 96 random bits.
    return f"TB{timezone.now():%y%m%d}{secrets.token_hex(12)}"


def _fit(description: str) -> str:
    raw = description.encode("utf-8")[: providers.DESCRIPTION_MAX_BYTES]
    return raw.decode("utf-8", "ignore") or "-"


def payment_create(*, biz: str, biz_id: int, amount: int, description: str) -> int:
    """Store an unpaid order for (biz, biz_id); returns its id. Runs in the caller's transaction;
    ``payment_prepay`` then creates it with the provider, after commit."""
    provider = _provider()
    now = timezone.now()
    payment = Payment.objects.create(
        biz=biz, biz_id=biz_id, out_trade_no=_trade_no(), amount=amount, description=_fit(description),
        provider=provider.name, expires_at=now + timedelta(seconds=settings.PAYMENT_TIMEOUT),
        next_check_at=now + timedelta(seconds=settings.PAYMENT_SYNC_DELAY),
    )
    return payment.id


def payment_prepay(*, payment_id: int, site_url: str) -> str:
    """Create the order with the provider (a network call: outside any transaction); its code_url.

    When the provider cannot take it, the payment fails (the apps above hear it through the
    outbox) and DependencyError (code 5) is raised.
    """
    payment = Payment.objects.get(id=payment_id)
    provider = _provider()
    try:
        code_url = provider.create_native(
            out_trade_no=payment.out_trade_no, amount_fen=payment.amount, description=payment.description,
            time_expire=timezone.localtime(payment.expires_at).isoformat(timespec="seconds"), site_url=site_url,
        )
    except (providers.ProviderUnavailable, providers.ProviderRejected) as exc:
        logger.warning("payment %s: the provider did not create the order: %s", payment.out_trade_no, exc)
        event_id = _settle(out_trade_no=payment.out_trade_no, paid=False)
        if event_id:
            outbox.outbox_schedule(event_id)
        raise DependencyError(_("the payment service is unavailable, try again later")) from None
    Payment.objects.filter(id=payment.id).update(code_url=code_url[:512])
    return code_url


def _settle(*, out_trade_no: str, paid: bool, amount: int | None = None, transaction_id: str | None = None) -> int | None:
    """The payment's new status and its outbox event, in one transaction; the event's id, or None
    when nothing changed. ``amount``: what the provider claims, checked against the order."""
    now = timezone.now()
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(out_trade_no=out_trade_no).first()
        if payment is None:
            raise UnknownOrder()
        if amount is not None and amount != payment.amount:
            raise AmountMismatch()
        target = P.PAID if paid else P.FAILED
        if payment.status in (target, P.PAID):
            # Already so, or paid: paid is final (the money was taken), a later failure changes nothing.
            return None
        # unpaid -> paid or failed; failed -> paid: money taken after we gave up is still honoured.
        payment.status = target
        fields = ["status", "utime"]
        if paid:
            payment.transaction_id, payment.paid_at = (transaction_id or "")[:64], now
            fields += ["transaction_id", "paid_at"]
        payment.save(update_fields=fields)
        event = PaymentEvent.objects.create(
            payment=payment, kind=PaymentEvent.Kind.PAID if paid else PaymentEvent.Kind.FAILED,
            biz=payment.biz, biz_id=payment.biz_id, amount=payment.amount, ctime=now, next_attempt_at=now,
        )
    return event.id


def _refuse_amount(out_trade_no: str) -> None:
    logger.warning("payment notification refused (tampering?): amount differs from the order %s", out_trade_no)


def payment_notification_handle(*, headers, body: bytes) -> Outcome:
    """A notification from the provider (``/pay/callback``, or the dev page): verify, settle, relay."""
    try:
        provider = providers.get_provider()
    except providers.NotConfigured:
        logger.warning("payment notification while payments are not configured")
        metrics.NOTIFICATIONS.labels(Outcome.UNAVAILABLE.value).inc()
        return Outcome.UNAVAILABLE
    outcome = _handle(provider, headers, body)
    metrics.NOTIFICATIONS.labels(outcome.value).inc()
    return outcome


def _handle(provider, headers, body: bytes) -> Outcome:
    try:
        notice = provider.parse_notification(headers, body)
    except providers.NotificationRejected:
        return Outcome.REFUSED  # logged by the provider with its reason
    if notice.trade_state == providers.SUCCESS:
        paid = True
    elif notice.trade_state in providers.FINAL_FAILURES:
        paid = False
    else:
        return Outcome.IGNORED
    try:
        event_id = _settle(out_trade_no=notice.out_trade_no, paid=paid, amount=notice.amount_total,
                           transaction_id=notice.transaction_id)
    except UnknownOrder:
        logger.warning("payment notification for an unknown order refused")
        return Outcome.UNKNOWN_ORDER
    except AmountMismatch:
        _refuse_amount(notice.out_trade_no)
        return Outcome.REFUSED
    if event_id is None:
        return Outcome.DUPLICATE
    outbox.outbox_schedule(event_id)
    return Outcome.ACCEPTED


# --- lost notifications and expiry (the beat task) ---------------------------------------------------

def _settle_now(out_trade_no: str, *, paid: bool, amount=None, transaction_id=None) -> bool:
    """Settle and relay inline: the beat task already runs in a worker. True when it changed."""
    event_id = _settle(out_trade_no=out_trade_no, paid=paid, amount=amount, transaction_id=transaction_id)
    if event_id is not None:
        outbox.outbox_deliver_one(event_id=event_id)
    return event_id is not None


def _settle_paid_from(status: providers.TradeStatus, payment: Payment) -> str:
    try:
        _settle_now(payment.out_trade_no, paid=True, amount=status.amount_total, transaction_id=status.transaction_id)
    except AmountMismatch:
        logger.warning("payment %s: the provider reports another amount than the order's; not settled",
                       payment.out_trade_no)
        return "refused"
    return "paid"


def payment_sync(*, payment_id: int) -> str:
    """Ask the provider about one unpaid order and settle it from the answer; close it once it
    expired (an order paid at the last moment answers ORDERPAID: it is settled as paid)."""
    payment = Payment.objects.get(id=payment_id)
    if payment.status != P.UNPAID:
        return "unchanged"
    try:
        provider = providers.get_provider()
    except providers.NotConfigured:
        return "error"
    expired = timezone.now() >= payment.expires_at
    try:
        status = provider.query(payment.out_trade_no)
    except providers.ProviderRejected as exc:
        if exc.code == ORDER_NOT_EXIST and expired:
            # The order never reached the provider (its creation failed): nobody can pay it.
            _settle_now(payment.out_trade_no, paid=False)
            return "failed"
        return "error" if exc.code != ORDER_NOT_EXIST else "unchanged"
    except providers.ProviderUnavailable:
        return "error"
    if status.trade_state == providers.SUCCESS:
        return _settle_paid_from(status, payment)
    if status.trade_state in providers.FINAL_FAILURES:
        _settle_now(payment.out_trade_no, paid=False)
        return "failed"
    if not expired:
        return "unchanged"
    try:
        provider.close(payment.out_trade_no)
    except providers.ProviderRejected as exc:
        if exc.code == ORDERPAID:
            try:
                return _settle_paid_from(provider.query(payment.out_trade_no), payment)
            except (providers.ProviderRejected, providers.ProviderUnavailable):
                return "error"
        if exc.code != ORDER_CLOSED:
            return "error"
    except providers.ProviderUnavailable:
        return "error"
    _settle_now(payment.out_trade_no, paid=False)
    return "closed"


def payment_sync_due(*, limit: int | None = None) -> dict[str, int]:
    """One beat run: every unpaid order whose check time has come, oldest first, claimed by a
    conditional UPDATE so that concurrent runs never ask about the same order twice."""
    now = timezone.now()
    limit = settings.PAYMENT_SYNC_BATCH if limit is None else limit
    ids = list(Payment.objects.filter(status=P.UNPAID, next_check_at__lte=now)
               .order_by("status", "next_check_at").values_list("id", flat=True)[:limit])
    outcomes: dict[str, int] = {}
    for payment_id in ids:
        claimed = Payment.objects.filter(id=payment_id, status=P.UNPAID, next_check_at__lte=now).update(
            next_check_at=now + timedelta(seconds=settings.PAYMENT_SYNC_INTERVAL))
        if not claimed:
            continue
        outcome = payment_sync(payment_id=payment_id)
        metrics.SYNC.labels(outcome).inc()
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


# --- the development provider's page ----------------------------------------------------------------------

def payment_dev_complete(*, out_trade_no: str, paid: bool) -> Outcome:
    """The dev page's Pay or Fail button: a signed notification through the same path as /pay/callback."""
    provider = providers.get_provider() if settings.PAYMENT_PROVIDER == "dev" else None
    if not isinstance(provider, providers.DevProvider):
        raise NotFoundError()
    payment = Payment.objects.filter(out_trade_no=out_trade_no).first()
    if payment is None:
        raise NotFoundError()
    if payment.status != P.UNPAID:
        raise ApplicationError(_("this order is already settled"))
    headers, body = provider.complete(out_trade_no, paid=paid)
    return payment_notification_handle(headers=headers, body=body)
