"""Lost notifications and expiry: the beat task asks WeChat Pay (the fake) about unpaid orders,
settles them from its answer, and closes those unpaid after PAYMENT_TIMEOUT."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from payments import services
from payments.models import Payment, PaymentEvent
from payments.tasks import payments_sync

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_relay")]


@pytest.fixture
def order(wechat, settings):
    settings.PAYMENT_SYNC_DELAY = 0
    pid = services.payment_create(biz="test", biz_id=1, amount=321, description="x")
    services.payment_prepay(payment_id=pid, site_url="http://testserver/")
    return Payment.objects.get(id=pid)


def _expire(order):
    Payment.objects.filter(id=order.id).update(expires_at=timezone.now() - timedelta(seconds=1))


def _events(order):
    return list(PaymentEvent.objects.filter(payment=order).values_list("kind", "amount"))


def test_an_order_paid_whose_notification_never_came_is_settled_by_the_beat_task(wechat, order):
    wechat.pay(order.out_trade_no)  # paid at WeChat; the notification is lost
    assert payments_sync.apply().get() == {"paid": 1}
    order.refresh_from_db()
    assert order.status == "paid" and order.transaction_id
    assert _events(order) == [("paid", 321)]
    assert services.payment_sync_due() == {}  # settled: not asked about again


def test_an_unpaid_order_is_left_alone_until_it_expires_then_closed_and_failed(wechat, order, settings):
    assert services.payment_sync_due() == {"unchanged": 1}
    assert services.payment_sync_due() == {}  # asked again only after PAYMENT_SYNC_INTERVAL
    _expire(order)
    Payment.objects.filter(id=order.id).update(next_check_at=timezone.now())
    assert services.payment_sync_due() == {"closed": 1}
    assert wechat.order(order.out_trade_no).trade_state == "CLOSED"
    order.refresh_from_db()
    assert order.status == "failed" and _events(order) == [("failed", 321)]


def test_an_order_paid_at_the_last_moment_is_settled_as_paid_not_closed(wechat, order):
    _expire(order)
    original_close = wechat._close

    def paid_just_before_the_close(no, body):  # the payer pays between our query and our close
        wechat.pay(no)
        return original_close(no, body)  # ORDERPAID

    wechat._close = paid_just_before_the_close
    assert services.payment_sync_due() == {"paid": 1}
    order.refresh_from_db()
    assert order.status == "paid" and order.transaction_id == wechat.order(order.out_trade_no).transaction_id
    assert _events(order) == [("paid", 321)]


def test_an_order_whose_creation_never_reached_wechat_fails_once_expired(wechat, settings):
    settings.PAYMENT_SYNC_DELAY = 0
    pid = services.payment_create(biz="test", biz_id=2, amount=5, description="x")  # never prepaid
    order = Payment.objects.get(id=pid)
    assert services.payment_sync_due() == {"unchanged": 1}  # ORDER_NOT_EXIST, not expired yet
    _expire(order)
    Payment.objects.filter(id=pid).update(next_check_at=timezone.now())
    assert services.payment_sync_due() == {"failed": 1}
    assert Payment.objects.get(id=pid).status == "failed"


def test_wechat_away_changes_nothing_and_the_order_is_asked_about_later(wechat, order):
    wechat.pay(order.out_trade_no)
    wechat.fail_next(500)
    assert services.payment_sync_due() == {"error": 1}
    assert Payment.objects.get(id=order.id).status == "unpaid"
    Payment.objects.filter(id=order.id).update(next_check_at=timezone.now())
    assert services.payment_sync_due() == {"paid": 1}


def test_a_query_answer_with_another_amount_is_not_settled(wechat, order, caplog):
    wechat.pay(order.out_trade_no)
    with wechat._lock:
        wechat._orders[order.out_trade_no].amount_total = 32100
    with caplog.at_level(logging.WARNING, logger="payments"):
        assert services.payment_sync_due() == {"refused": 1}
    assert Payment.objects.get(id=order.id).status == "unpaid"
    assert "another amount" in caplog.text


def test_the_provider_failing_to_create_the_order_fails_the_payment(wechat, settings):
    pid = services.payment_create(biz="test", biz_id=3, amount=5, description="x")
    wechat.fail_next(500)
    from tinybook.exceptions import DependencyError

    with pytest.raises(DependencyError):
        services.payment_prepay(payment_id=pid, site_url="http://testserver/")
    assert Payment.objects.get(id=pid).status == "failed"
    assert list(PaymentEvent.objects.values_list("kind", flat=True)) == ["failed"]
